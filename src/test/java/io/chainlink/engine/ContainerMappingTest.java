package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import io.chainlink.support.StageBuilder;
import io.chainlink.support.TestProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How a stage's fields land in the container's create request; nothing here reaches an engine. */
class ContainerMappingTest {

    private static final long MIB = 1024 * 1024;
    private static final String VOLUME = "chainlink-job-42-0badcafe";
    /** chainlink.containment's defaults, as the service binds them. */
    private static final Containment CONTAINED = TestProperties.of(Map.of()).containment();

    /** Building a command needs a client; sending one would fail the test. */
    private static final DockerHttpClient NO_ENGINE = new DockerHttpClient() {
        @Override
        public Response execute(Request request) {
            throw new AssertionError("the mapping must not reach the engine: " + request.method() + " " + request.path());
        }

        @Override
        public void close() {
        }
    };

    private final DockerClient client =
            DockerClientImpl.getInstance(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), NO_ENGINE);

    @Test
    void aPrivilegedStageRunsPrivileged() {
        assertThat(host(stage().privileged(true)).getPrivileged()).isTrue();
    }

    @Test
    void anUnprivilegedStageDoesNotRunPrivileged() {
        assertThat(host(stage().privileged(false)).getPrivileged()).isFalse();
    }

    @Test
    void memoryIsCappedAndSwapEqualsIt() {
        HostConfig host = host(stage().memoryBytes(64 * MIB));

        assertThat(host.getMemory()).isEqualTo(64 * MIB);
        assertThat(host.getMemorySwap()).isEqualTo(64 * MIB);
    }

    @Test
    void withoutNetworkingTheContainersNetworkIsDisabledAsChainlinkDoesIt() {
        CreateContainerCmd command = command(stage().networking(false));

        assertThat(command.isNetworkDisabled()).isTrue();
        assertThat(command.getHostConfig().getNetworkMode()).isNull();
    }

    @Test
    void withNetworkingTheEngineChoosesTheNetwork() {
        CreateContainerCmd command = command(stage().networking(true));

        assertThat(command.isNetworkDisabled()).isFalse();
        assertThat(command.getHostConfig().getNetworkMode()).isNull();
    }

    @Test
    void everyContainerHasPrivateIpcAndAHundredMillisecondCpuPeriod() {
        HostConfig host = host(stage());

        assertThat(host.getIpcMode()).isEqualTo("private");
        assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
    }

    @Test
    void everyContainerHasAPidsLimitOf512AndNoNewPrivilegesByDefault() {
        HostConfig host = host(stage());

        assertThat(host.getPidsLimit()).isEqualTo(512L);
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    }

    @Test
    void everyContainerHasTheEnginesDefaultCpuWeightByDefault() {
        assertThat(host(stage()).getCpuShares()).isEqualTo(1024);
    }

    @Test
    void anOperatorMayChangeThePidsLimitTheCpuWeightAndAllowNewPrivileges() {
        HostConfig host = command(stage(), new Containment(64, false, 256)).getHostConfig();

        assertThat(host.getPidsLimit()).isEqualTo(64L);
        assertThat(host.getCpuShares()).isEqualTo(256);
        assertThat(host.getSecurityOpts()).isNull();
    }

    @Test
    void capabilitiesAreAddedToTheEnginesDefaultSetAndNoneAddsNothing() {
        assertThat(host(stage().capabilities("NET_ADMIN", "SYS_PTRACE")).getCapAdd())
                .containsExactly(Capability.NET_ADMIN, Capability.SYS_PTRACE);
        assertThat(host(stage()).getCapAdd()).isNull();
    }

    @ParameterizedTest
    @MethodSource("io.chainlink.stage.CapabilitiesTest#everyKnownName")
    void everyCapabilityAStageMayNameIsOneTheEngineClientKnows(String name) {
        assertThat(host(stage().capabilities(name)).getCapAdd()).containsExactly(Capability.valueOf(name));
    }

    @Test
    void cpusBecomeAQuotaOverTheHundredMillisecondPeriodAndNoneMeansNoQuota() {
        assertThat(host(stage().cpus(0.5)).getCpuQuota()).isEqualTo(50_000L);
        assertThat(host(stage().cpus(2.0)).getCpuQuota()).isEqualTo(200_000L);
        assertThat(host(stage().cpus(0.01)).getCpuQuota()).isEqualTo(1_000L);
        assertThat(host(stage()).getCpuQuota()).isNull();
    }

    @Test
    void cpusetIsPassedThroughAndAbsentMeansAllCpus() {
        assertThat(host(stage().cpusetCpus("0-3,6")).getCpusetCpus()).isEqualTo("0-3,6");
        assertThat(host(stage().cpusetCpus(null)).getCpusetCpus()).isNull();
    }

    @Test
    void theImageAndHostnameAreTheStages() {
        CreateContainerCmd command = command(stage().image("127.0.0.1:5000/team/grader:2").hostname("grader"));

        assertThat(command.getImage()).isEqualTo("127.0.0.1:5000/team/grader:2");
        assertThat(command.getHostName()).isEqualTo("grader");
    }

    @Test
    void envBecomesNameEqualsValueInOrder() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TEST", "testing");
        env.put("EMPTY", "");
        env.put("EQUALS", "a=b c");

        assertThat(command(stage().env(env)).getEnv()).containsExactly("TEST=testing", "EMPTY=", "EQUALS=a=b c");
    }

    @Test
    void anEntrypointReplacesTheImagesAndNoneKeepsIt() {
        assertThat(command(stage().entrypoint(List.of("sh", "-c", "echo a b"))).getEntrypoint())
                .containsExactly("sh", "-c", "echo a b");
        assertThat(command(stage().entrypoint(null)).getEntrypoint()).isNull();
    }

    @Test
    void aUserIsPassedThroughAndNoneKeepsTheImages() {
        assertThat(command(stage().user("1000:1000")).getUser()).isEqualTo("1000:1000");
        assertThat(command(stage().user(null)).getUser()).isNull();
    }

    @Test
    void theContainerIsLabelledWithItsStoreJobAndStage() {
        CreateContainerCmd command = ContainerSettings.createCommand(client, new Labels("store-1", "01a235df-f7bb-7c3e-9c61-0a5d8e7f1b23"), 3, stage().build(), VOLUME, CONTAINED);

        assertThat(command.getLabels()).containsOnly(entry("chainlink.store", "store-1"), entry("chainlink.job", "01a235df-f7bb-7c3e-9c61-0a5d8e7f1b23"), entry("chainlink.stage", "3"));
    }

    @Test
    void theJobsVolumeIsMountedAtJobWithoutCopyingTheImagesContent() {
        List<Mount> mounts = host(stage()).getMounts();

        assertThat(mounts).singleElement().satisfies(mount -> {
            assertThat(mount.getType()).isEqualTo(MountType.VOLUME);
            assertThat(mount.getSource()).isEqualTo(VOLUME);
            assertThat(mount.getTarget()).isEqualTo("/job");
            assertThat(mount.getVolumeOptions().getNoCopy()).isTrue();
        });
    }

    @Test
    void theContainerHasNoTty() {
        // Without a TTY the engine multiplexes stdout and stderr, which is how they are told apart.
        assertThat(command(stage()).isTty()).isFalse();
    }

    @Test
    void theEnginesOwnLogFileIsBounded() {
        var logConfig = host(stage()).getLogConfig();

        assertThat(logConfig.getConfig()).containsEntry("max-size", "64m").containsEntry("max-file", "2");
    }

    private CreateContainerCmd command(StageBuilder stage) {
        return command(stage, CONTAINED);
    }

    private CreateContainerCmd command(StageBuilder stage, Containment containment) {
        return ContainerSettings.createCommand(client, new Labels("store-1", "01a235df-f7bb-7c3e-9c61-0a5d8e7f1b23"), 0, stage.build(), VOLUME, containment);
    }

    private HostConfig host(StageBuilder stage) {
        return command(stage).getHostConfig();
    }

    private static StageBuilder stage() {
        return StageBuilder.stage();
    }
}
