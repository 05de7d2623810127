package io.chainlink.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console: static files in {@code static/console/} (the page, its style sheet and its one
 * script), served from the jar at {@code /console/}, which {@code /} leads to. They need no token:
 * they hold nothing but code, and every API call the page makes sends the user's.
 */
@Configuration
class ConsoleConfiguration implements WebMvcConfigurer {

    static final String PATH = "/console/";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", PATH);
        registry.addRedirectViewController("/console", PATH);
        registry.addViewController(PATH).setViewName("forward:" + PATH + "index.html");
    }
}
