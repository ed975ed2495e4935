package dev.chatwire.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that serves Chatwire's socket at {@code /ws} and its REST API under {@code /api}, with
 * nothing but the starter on the class path and the properties in {@code application.properties}. Start it with
 * {@code CHAT_JWT_SECRET} set (32 bytes or more); tokens come from the application's own sign-in, which this example
 * leaves out.
 */
@SpringBootApplication
public class ChatBootApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatBootApplication.class, args);
    }
}
