package io.chainlink.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

class ConnectionPoolSizeTest {

    @Nested
    @SpringBootTest(properties = "chainlink.workers=0")
    class Unset {

        @Autowired
        private HikariDataSource pool;

        @Test
        void thePoolHasAConnectionPerCoreAndAtLeastTwo() {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        }
    }

    @Nested
    @SpringBootTest(properties = {"chainlink.workers=0", ConnectionPoolSize.PROPERTY + "=7"})
    class Set {

        @Autowired
        private HikariDataSource pool;

        @Test
        void theConfiguredSizeStands() {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
        }
    }
}
