package dev.chatwire.spring;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;

/** The starter on Spring Boot's embedded Jetty (its ee11 environment). */
@SpringBootTest(classes = {StarterSuite.App.class, JettyStarterTest.Jetty.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StarterSuite.PROPERTIES_SECRET, StarterSuite.PROPERTIES_ORIGINS})
@DirtiesContext
class JettyStarterTest extends StarterSuite {

    /** Jetty, whatever else the test class path holds (Tomcat too). */
    @Configuration(proxyBeanMethods = false)
    static class Jetty {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
        }
    }
}
