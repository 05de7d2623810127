package io.chainlink.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A submission's files checked before anything is stored, each problem named; and the tar that is placed. */
class InputFilesTest {

    private final InputFiles inputs = new InputFiles(new FileLimits(DataSize.ofMegabytes(8), DataSize.ofMegabytes(16), 3, 64));

    @Test
    void everyBadFileIsNamedByItsIndexAndField() {
        FilesRejectedException e = catchThrowableOfType(FilesRejectedException.class, () -> inputs.fromJson(List.of(
                new SubmittedFile("ok", "", null),
                new SubmittedFile("../x", "%%%", 04755),
                new SubmittedFile("ok", null, -1))));

        assertThat(e.problems()).extracting(FileProblem::field).containsExactly(
                "files[1].path", "files[1].content", "files[1].mode", "files[2].path", "files[2].content", "files[2].mode");
        assertThat(e.problems().get(3).message()).isEqualTo("names the same file as files[0].path");
    }

    @Test
    void aFileCannotAlsoBeTheDirectoryOfAnother() {
        FilesRejectedException e = catchThrowableOfType(FilesRejectedException.class, () -> inputs.fromJson(List.of(
                new SubmittedFile("a", "", null), new SubmittedFile("a/b", "", null))));

        assertThat(e.problems()).extracting(FileProblem::field).containsExactly("files[0].path");
    }

    @Test
    void moreFilesThanTheBoundAreRefusedAsAWhole() {
        FilesRejectedException e = catchThrowableOfType(FilesRejectedException.class, () -> inputs.fromJson(List.of(
                new SubmittedFile("a", "", null), new SubmittedFile("b", "", null), new SubmittedFile("c", "", null),
                new SubmittedFile("d", "", null))));

        assertThat(e.problems()).extracting(FileProblem::field).containsExactly("files");
    }

    @Test
    void thePlacedTarIsRootsWithItsDirectoriesOpenAndEveryFileReadable() throws Exception {
        JobInput input = inputs.fromJson(List.of(new SubmittedFile("src/a/main.py", "aGk=", 0700)));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        input.writeTo(tar);

        List<String> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.add(entry.getName() + " " + Integer.toOctalString(entry.getMode() & 07777) + " " + entry.getLongUserId()
                        + (entry.isDirectory() ? "" : " " + new String(in.readAllBytes())));
            }
        }
        assertThat(entries).containsExactly("src/ 777 0", "src/a/ 777 0", "src/a/main.py 744 0 hi");
    }

    @Test
    void aTarWithALinkADeviceOrAnEscapingNameIsRefusedNamingTheFilesPart() throws Exception {
        for (TarArchiveEntry bad : List.of(link("x", "/etc/shadow"), new TarArchiveEntry("dev", TarConstants.LF_CHR),
                new TarArchiveEntry("a/../../x", true), new TarArchiveEntry("/abs", true))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.putArchiveEntry(bad);
                tar.closeArchiveEntry();
            }
            FilesRejectedException e = catchThrowableOfType(FilesRejectedException.class,
                    () -> inputs.fromTar(() -> new ByteArrayInputStream(bytes.toByteArray())));
            assertThat(e).as(bad.getName()).isNotNull();
            assertThat(e.problems()).extracting(FileProblem::field).containsExactly("files");
        }
    }

    private static TarArchiveEntry link(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        return entry;
    }
}
