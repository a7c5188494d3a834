package io.runnerfleet.base;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a file a user named, and says in words they can act on why it could not be read. */
public final class TextFiles {
    private TextFiles() {}

    /** The file's UTF-8 text, or an {@link InvalidInputException} naming the file and what is wrong with it. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "(file)", problem(e));
        }
    }

    /** Why a file could not be read: {@code does not exist}, {@code is not UTF-8 text} or the system's reason. */
    public static String problem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof CharacterCodingException) {
            return "is not UTF-8 text";
        }
        return "cannot be read: " + e.getMessage();
    }
}
