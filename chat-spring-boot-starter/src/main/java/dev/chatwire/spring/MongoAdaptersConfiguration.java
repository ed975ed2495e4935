package dev.chatwire.spring;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.spi.ChatStore;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MessageStore;
import dev.chatwire.core.spi.ReadStateStore;
import dev.chatwire.mongo.GridFsMediaStore;
import dev.chatwire.mongo.MongoChatStore;
import dev.chatwire.mongo.MongoMessageStore;
import dev.chatwire.mongo.MongoReadStateStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The MongoDB stores, when {@code chat-store-mongo} is on the class path and the application has a
 * {@link MongoDatabase} bean, or a {@link MongoClient} bean (then the database is {@code chatwire.mongo-database}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({MongoMessageStore.class, MongoDatabase.class})
@Conditional(MongoClientPresent.class)
class MongoAdaptersConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MessageStore chatwireMessageStore(ObjectProvider<MongoDatabase> database, ObjectProvider<MongoClient> client,
                                      ChatwireProperties properties) {
        return MongoMessageStore.create(database(database, client, properties));
    }

    @Bean
    @ConditionalOnMissingBean
    ChatStore chatwireChatStore(ObjectProvider<MongoDatabase> database, ObjectProvider<MongoClient> client,
                                ChatwireProperties properties) {
        return MongoChatStore.create(database(database, client, properties));
    }

    @Bean
    @ConditionalOnMissingBean
    ReadStateStore chatwireReadStateStore(ObjectProvider<MongoDatabase> database, ObjectProvider<MongoClient> client,
                                          ChatwireProperties properties) {
        return MongoReadStateStore.create(database(database, client, properties));
    }

    @Bean
    @ConditionalOnMissingBean
    MediaStore chatwireMediaStore(ObjectProvider<MongoDatabase> database, ObjectProvider<MongoClient> client,
                                  ChatwireProperties properties) {
        return GridFsMediaStore.create(database(database, client, properties));
    }

    private static MongoDatabase database(ObjectProvider<MongoDatabase> database, ObjectProvider<MongoClient> client,
                                          ChatwireProperties properties) {
        MongoDatabase own = database.getIfUnique();
        return own != null ? own : client.getObject().getDatabase(properties.getMongoDatabase());
    }
}
