package io.chainlink.files;

/** No /job was kept for the job (it has not ended, no stage ran, or {@code chainlink.files.max-bytes} is 0), or it holds no such file. */
public class FilesNotKeptException extends RuntimeException {

    FilesNotKeptException(String message) {
        super(message);
    }
}
