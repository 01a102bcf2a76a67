package dev.atrium.storage;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The SDK's unchecked exceptions as the {@link IOException}s every blob store caller handles: a missing object is a
 * {@link NoSuchFileException}, as a missing file is on the local disk; anything else says what S3 answered.
 */
final class S3Calls {
    private S3Calls() {}

    @FunctionalInterface
    interface Call<T> {
        T call();
    }

    static <T> T call(Call<T> call) throws IOException {
        try {
            return call.call();
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    static void run(Runnable call) throws IOException {
        try {
            call.run();
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    static boolean isMissing(SdkException e) {
        return e instanceof AwsServiceException service && service.statusCode() == 404;
    }

    static IOException failure(SdkException e) {
        if (isMissing(e)) {
            NoSuchFileException missing = new NoSuchFileException("object storage: " + e.getMessage());
            missing.initCause(e);
            return missing;
        }
        return new ObjectStorageUnavailable("object storage: " + e.getMessage(), e);
    }
}
