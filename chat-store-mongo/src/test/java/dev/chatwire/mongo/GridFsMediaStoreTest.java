package dev.chatwire.mongo;

import com.mongodb.client.MongoDatabase;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.contract.MediaStoreContract;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MediaTooLargeException;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridFsMediaStoreTest extends MediaStoreContract {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Override
    protected MediaStore newStore() {
        return GridFsMediaStore.create(mongo.newDatabase());
    }

    @Test
    void anUploadStoppedPastTheLimitLeavesNeitherChunksNorAFile() {
        MongoDatabase database = mongo.newDatabase();
        GridFsMediaStore store = GridFsMediaStore.create(database);
        byte[] threeChunksWorth = new byte[700_000];

        assertThatThrownBy(() -> store.put(new MediaUpload("chat-1", "alice", "big.bin", "video/mp4", Instant.EPOCH),
                new ByteArrayInputStream(threeChunksWorth), 600_000)).isInstanceOf(MediaTooLargeException.class);

        assertThat(database.getCollection("media.chunks").countDocuments(new Document())).isZero();
        assertThat(database.getCollection("media.files").countDocuments(new Document())).isZero();
    }
}
