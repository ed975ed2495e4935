package dev.chatwire.spring;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;

/** The starter on Spring Boot's embedded Tomcat. */
@SpringBootTest(classes = {StarterSuite.App.class, TomcatStarterTest.Tomcat.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StarterSuite.PROPERTIES_SECRET, StarterSuite.PROPERTIES_ORIGINS})
@DirtiesContext
class TomcatStarterTest extends StarterSuite {

    /** Tomcat, whatever else the test class path holds (Jetty too). */
    @Configuration(proxyBeanMethods = false)
    static class Tomcat {
        @Bean
        TomcatServletWebServerFactory tomcat() {
            return new TomcatServletWebServerFactory();
        }
    }
}
