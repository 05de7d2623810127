package io.chainlink.files;

import io.chainlink.config.ChainlinkProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The container's multipart limits from {@code chainlink.files.max-upload}, in place of Spring
 * Boot's {@code spring.servlet.multipart.*}: one bound, one source. The container reads a
 * multipart body itself (not through the request's stream that api's size filter bounds), so the
 * bound of a body of unknown length is this one. Parts past a small threshold go to a temporary
 * file, not the heap; the container deletes them when the request ends.
 */
@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

    static final int IN_MEMORY_THRESHOLD = 64 * 1024;

    @Bean
    MultipartConfigElement multipartConfigElement(ChainlinkProperties properties) {
        long max = properties.files().maxUpload().toBytes();
        return new MultipartConfigElement("", max, max, IN_MEMORY_THRESHOLD);
    }
}
