package dev.chatwire.spring;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.ConfigurationCondition;

/** Matches when the application has a {@code MongoDatabase} bean or a {@code MongoClient} bean. */
class MongoClientPresent extends AnyNestedCondition {

    MongoClientPresent() {
        super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(type = "com.mongodb.client.MongoDatabase")
    static class DatabaseBean {
    }

    @ConditionalOnBean(type = "com.mongodb.client.MongoClient")
    static class ClientBean {
    }
}
