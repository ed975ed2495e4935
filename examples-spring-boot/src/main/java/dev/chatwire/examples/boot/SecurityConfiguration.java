package dev.chatwire.examples.boot;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security beside Chatwire: the chat routes check their bearer token themselves (the socket in its
 * {@code connect} frame or {@code Authorization} header, REST on every request), so Security lets them through
 * without a session or CSRF token, and guards the rest of the application as usual.
 */
@Configuration
class SecurityConfiguration {

    /** The socket path and the REST prefix: {@code chatwire.socket-path} and {@code chatwire.rest-prefix}. */
    @Bean
    @Order(1)
    SecurityFilterChain chatRoutes(HttpSecurity http) throws Exception {
        return http.securityMatcher("/ws", "/api/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                // Bearer tokens, never cookies: no session to ride on, so no CSRF token to ask for.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /** Everything else: the application's own pages and endpoints. */
    @Bean
    @Order(2)
    SecurityFilterChain application(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .build();
    }
}
