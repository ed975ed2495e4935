package dev.chatwire.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoGridFSException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.chatwire.core.MediaInfo;
import dev.chatwire.core.MediaUpload;
import dev.chatwire.core.spi.HealthCheck;
import dev.chatwire.core.spi.MediaStore;
import dev.chatwire.core.spi.MediaTooLargeException;
import dev.chatwire.core.spi.UnavailableException;
import org.bson.BsonObjectId;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MediaStore} on MongoDB GridFS: the bytes in chunks, what the SPI knows about them in the file's metadata.
 *
 * <p>Bucket (name after {@link MongoStoreOptions#collectionPrefix()}), in the standard GridFS layout:
 * <pre>
 * media.files   { _id: ObjectId,           // MediaInfo.id, as a 24-digit hex string
 *                 length: Int64, chunkSize: Int32, uploadDate: Date,
 *                 filename: String,         // the client's file name, or "" when it gave none
 *                 metadata: { chatId: String, ownerId: String, mimeType: String,
 *                             name: String,  // absent when null
 *                             createdAt: Date } }
 *   index { filename: 1, uploadDate: 1 }      (the GridFS standard index)
 *   index { metadata.ownerId: 1, length: 1 }  (bytesStoredBy: a covered sum per uploader)
 * media.chunks  { _id: ObjectId, files_id: ObjectId, n: Int32, data: BinData }
 *   index { files_id: 1, n: 1 }  unique      (the GridFS standard index)
 * </pre>
 *
 * <p>{@link #put} streams the content into chunks while counting; past {@code maxBytes} it aborts the upload, which
 * deletes the chunks already written, and throws {@link MediaTooLargeException}. Memory use is one chunk (255 KiB)
 * plus a read buffer, whatever the size. The files document is written last, so a file is visible only once
 * complete. If the abort itself fails (MongoDB went away mid-upload), chunks without a files document remain:
 * invisible to this store, and removable by deleting chunks whose {@code files_id} has no files document.
 *
 * <p>Ids are ObjectId hex strings; any other string finds nothing. Thread-safe. Every method blocks on MongoDB and
 * throws {@link UnavailableException}, with the driver's exception as cause, when it fails; a stream returned by
 * {@link #open} reports a failure while reading as an {@link IOException}. See {@link MongoMessageStore} for the
 * timeouts and the client settings to use.
 */
public final class GridFsMediaStore implements MediaStore, HealthCheck {

    /** The base name of the GridFS bucket. */
    public static final String BUCKET = "media";

    private static final Logger LOG = LoggerFactory.getLogger(GridFsMediaStore.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final String OWNER_ID = "metadata.ownerId";

    private final GridFSBucket bucket;
    private final MongoDatabase database;
    private final MongoStoreOptions options;
    private final MongoCollection<Document> files;

    private GridFsMediaStore(MongoDatabase database, MongoStoreOptions options) {
        this.database = database;
        this.options = options;
        this.bucket = GridFSBuckets.create(database, options.name(BUCKET))
                .withWriteConcern(options.writeConcern())
                .withReadPreference(ReadPreference.primary());
        this.files = database.getCollection(options.name(BUCKET) + ".files")
                .withReadPreference(ReadPreference.primary());
    }

    /**
     * A store with {@link MongoStoreOptions#defaults()}, its indexes created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the indexes cannot be created
     */
    public static GridFsMediaStore create(MongoDatabase database) {
        return create(database, MongoStoreOptions.defaults());
    }

    /**
     * A store with the given options, its indexes created.
     *
     * @param database owned by the host, which closes its client; the store never does
     * @throws UnavailableException if the indexes cannot be created
     */
    public static GridFsMediaStore create(MongoDatabase database, MongoStoreOptions options) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        GridFsMediaStore store = new GridFsMediaStore(database, options);
        store.createIndexes();
        return store;
    }

    /**
     * Creates the standard GridFS indexes of the bucket, and the per-uploader index of {@link #bytesStoredBy};
     * harmless when they exist. (The driver would create the standard ones on the first upload to an empty bucket;
     * creating them on start-up keeps every index in one place.)
     *
     * @throws UnavailableException if MongoDB fails
     */
    public void createIndexes() {
        CreateIndexOptions limit = new CreateIndexOptions().maxTime(options.maxTimeMillis(), TimeUnit.MILLISECONDS);
        String name = options.name(BUCKET);
        try {
            database.getCollection(name + ".files").withWriteConcern(options.writeConcern())
                    .createIndexes(List.of(new IndexModel(Indexes.ascending("filename", "uploadDate")),
                            new IndexModel(Indexes.ascending(OWNER_ID, "length"))), limit);
            database.getCollection(name + ".chunks").withWriteConcern(options.writeConcern())
                    .createIndexes(List.of(new IndexModel(Indexes.ascending("files_id", "n"),
                            new IndexOptions().unique(true))), limit);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("index creation on bucket " + name, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws UncheckedIOException if reading {@code content} fails; nothing is stored
     */
    @Override
    public MediaInfo put(MediaUpload upload, InputStream content, long maxBytes) {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        }
        ObjectId id = new ObjectId();
        Instant createdAt = upload.createdAt().truncatedTo(ChronoUnit.MILLIS);
        Document metadata = new Document("chatId", upload.chatId())
                .append("ownerId", upload.ownerId())
                .append("mimeType", upload.mimeType());
        if (upload.name() != null) {
            metadata.append("name", upload.name());
        }
        metadata.append("createdAt", Date.from(createdAt));

        GridFSUploadStream out;
        try {
            out = bucket.openUploadStream(new BsonObjectId(id), upload.name() == null ? "" : upload.name(),
                    new GridFSUploadOptions().metadata(metadata));
        } catch (MongoException e) {
            throw MongoFailures.unavailable("media upload", e);
        }
        long size = 0;
        boolean stored = false;
        try {
            byte[] buffer = new byte[READ_BUFFER_BYTES];
            for (int read = content.read(buffer); read != -1; read = content.read(buffer)) {
                size += read;
                if (size > maxBytes) {
                    throw new MediaTooLargeException(maxBytes);
                }
                out.write(buffer, 0, read);
            }
            out.close();
            stored = true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upload failed", e);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("media upload", e);
        } finally {
            if (!stored) {
                abort(out);
            }
        }
        return new MediaInfo(id.toHexString(), upload.chatId(), upload.ownerId(), upload.name(), upload.mimeType(),
                size, createdAt);
    }

    private static void abort(GridFSUploadStream out) {
        try {
            out.abort();
        } catch (MongoException e) {
            LOG.warn("Could not delete the chunks of aborted upload {}; they stay, invisible, until cleaned up",
                    out.getObjectId(), e);
        }
    }

    @Override
    public Optional<MediaInfo> find(String mediaId) {
        Optional<ObjectId> id = parseId(mediaId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            GridFSFile file = bucket.find(Filters.eq("_id", id.get()))
                    .maxTime(options.maxTimeMillis(), TimeUnit.MILLISECONDS).first();
            return Optional.ofNullable(file).map(GridFsMediaStore::toInfo);
        } catch (MongoException e) {
            throw MongoFailures.unavailable("media lookup", e);
        }
    }

    @Override
    public Optional<InputStream> open(String mediaId) {
        Optional<ObjectId> id = parseId(mediaId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FailureTranslatingStream(bucket.openDownloadStream(id.get())));
        } catch (MongoGridFSException e) {
            // The driver's way of saying there is no such file.
            return Optional.empty();
        } catch (MongoException e) {
            throw MongoFailures.unavailable("media download", e);
        }
    }

    @Override
    public boolean delete(String mediaId) {
        Optional<ObjectId> id = parseId(mediaId);
        if (id.isEmpty()) {
            return false;
        }
        try {
            bucket.delete(id.get());
            return true;
        } catch (MongoGridFSException e) {
            // The driver's way of saying there was no such file.
            return false;
        } catch (MongoException e) {
            throw MongoFailures.unavailable("media deletion", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One aggregation over the files documents of this uploader, answered from the {@code metadata.ownerId,
     * length} index. Files whose upload was aborted have no files document and are not counted.
     */
    @Override
    public long bytesStoredBy(String ownerId) {
        Objects.requireNonNull(ownerId, "ownerId");
        try {
            Document total = files.aggregate(List.of(
                            Aggregates.match(Filters.eq(OWNER_ID, ownerId)),
                            Aggregates.group(null, Accumulators.sum("bytes", "$length"))))
                    .maxTime(options.maxTimeMillis(), TimeUnit.MILLISECONDS)
                    .first();
            return total == null ? 0 : total.get("bytes", Number.class).longValue();
        } catch (MongoException e) {
            throw MongoFailures.unavailable("media bytes per uploader", e);
        }
    }

    private static Optional<ObjectId> parseId(String mediaId) {
        return mediaId != null && ObjectId.isValid(mediaId) ? Optional.of(new ObjectId(mediaId)) : Optional.empty();
    }

    private static MediaInfo toInfo(GridFSFile file) {
        Document metadata = file.getMetadata() == null ? new Document() : file.getMetadata();
        return new MediaInfo(file.getObjectId().toHexString(),
                metadata.getString("chatId"),
                metadata.getString("ownerId"),
                metadata.getString("name"),
                metadata.getString("mimeType"),
                file.getLength(),
                metadata.getDate("createdAt").toInstant());
    }

    /** Reports the driver's unchecked failures while reading as the {@link IOException} a stream should throw. */
    private static final class FailureTranslatingStream extends FilterInputStream {

        FailureTranslatingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (MongoException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (MongoException e) {
                throw failed(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (MongoException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (MongoException e) {
                throw failed(e);
            }
        }

        private static IOException failed(MongoException e) {
            return new IOException("reading media from MongoDB failed", MongoFailures.unavailable("media read", e));
        }
    }

    /** Pings the store's MongoDB: one round trip, bounded by the client's server selection and socket timeouts. */
    @Override
    public Health checkHealth() {
        return MongoPing.ping(database);
    }
}
