package io.chainlink.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Sizes the database connection pool to the machine's cores, unless
 * {@code spring.datasource.hikari.maximum-pool-size} says otherwise. H2 runs inside this process
 * and its work is CPU-bound: sessions beyond the cores only contend for its locks. On 2 cores,
 * Hikari's default of 10 connections doubled the submit p99 of a pool of 2 (bench/, P4).
 */
@Configuration(proxyBeanMethods = false)
class ConnectionPoolSize {

    static final String PROPERTY = "spring.datasource.hikari.maximum-pool-size";

    @Bean
    static BeanPostProcessor connectionPoolSizer(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && !environment.containsProperty(PROPERTY)) {
                    pool.setMaximumPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()));
                }
                return bean;
            }
        };
    }
}
