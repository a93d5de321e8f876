package io.scenebank.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void index_listsEveryScriptInTheMigrationFolderInVersionOrder() throws IOException {
    List<String> onDisk;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      onDisk =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted()
              .toList();
    }
    List<String> indexed =
        Migrations.scripts().stream()
            .map(s -> String.format("V%03d__%s.sql", s.version(), s.name()))
            .toList();

    assertThat(indexed).isEqualTo(onDisk);
    assertThat(Migrations.scripts()).allSatisfy(s -> assertThat(s.checksum()).hasSize(64));
  }
}
