import { ApiObject, Duration, JsonPatch } from "cdk8s";
import * as kplus from "cdk8s-plus-28";
import { Construct } from "constructs";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { OTLP_HTTP_PORT } from "../connections/platform-peers.ts";
import type { Placement } from "../inventory/model.ts";
import { addFinalPatch } from "../k8s/final-patch.ts";
import { podLabels, selectorLabels } from "../k8s/labels.ts";
import { addModel } from "../k8s/model-object.ts";
import { onPremAffinity } from "../rules/geo-fencing.ts";
import { quantity } from "../rules/resources.ts";
import { addDatabaseClient } from "./database-client.ts";
import { FILL_TMP_VOLUME, modelFillContainer } from "./model-sync.ts";
import { addModelVolume, MODEL_CACHE_ENV, memory } from "./model-volume.ts";
import { addOrgCaTrust, callsOrgService } from "./org-ca-trust.ts";
import { probes } from "./probes.ts";
import { ROLLOUT, rolloutProfile } from "./rollout.ts";

/** The extended resource and taint of NVIDIA GPU nodes (set by the GPU operator). */
export const GPU_RESOURCE = "nvidia.com/gpu";
export const GPU_NODE_LABEL = "nvidia.com/gpu.present";

function cpu(value: string): kplus.Cpu {
  return kplus.Cpu.millis(Math.round(quantity(value) * 1000));
}

/**
 * One workload in one environment: its ServiceAccount, a Deployment (cdk8s-plus, with our own
 * selector and no construct-path labels), a Service, and what its declaration asks for: config,
 * GPU scheduling, a model volume and shared memory, a PodDisruptionBudget, an autoscaler.
 * Pod security is `restricted`-compliant.
 */
export class AppWorkload extends Construct {
  readonly deployment: kplus.Deployment;

  constructor(scope: Construct, placement: Placement, options: { oidc?: OidcClientEnv } = {}) {
    super(scope, `${placement.namespace}-${placement.workload.name}`);
    const { workload, namespace } = placement;
    const labels = podLabels(placement);
    const metadata = { name: workload.name, namespace, labels };
    this.deployment = this.addDeployment(placement, metadata);
    const container = this.addAppContainer(placement, options);
    this.mountVolumes(placement, container, labels);
    this.patchPodTemplate(placement, options);
    this.addService(placement, metadata);
    this.addBudgetAndAutoscaler(placement, labels);
  }

  /** The Deployment: its ServiceAccount (no token), security context and rollout profile. */
  private addDeployment(placement: Placement, metadata: WorkloadMetadata): kplus.Deployment {
    const { workload } = placement;
    const labels = metadata.labels;
    const rollout = ROLLOUT[rolloutProfile(placement)];
    const serviceAccount = new kplus.ServiceAccount(this, "sa", { metadata, automountToken: false });
    return new kplus.Deployment(this, "deployment", {
      metadata,
      select: false,
      podMetadata: { labels },
      replicas: workload.autoscale?.min ?? workload.replicas,
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
      // A ReadWriteOnce volume attaches to one node, whole GPUs are held by the old pod: a surge pod
      // would wait for either forever.
      strategy:
        rollout.strategy === "Recreate" || workload.storage || workload.gpu
          ? kplus.DeploymentStrategy.recreate()
          : kplus.DeploymentStrategy.rollingUpdate({
              maxSurge: percentOrAbsolute(rollout.strategy.maxSurge),
              maxUnavailable: percentOrAbsolute(rollout.strategy.maxUnavailable),
            }),
      minReady: Duration.seconds(rollout.minReadySeconds),
      progressDeadline: Duration.seconds(rollout.progressDeadlineSeconds),
    });
  }

  /** The application's container: image, env (telemetry, models, OIDC, secrets), resources, probes. */
  private addAppContainer(placement: Placement, options: { oidc?: OidcClientEnv }): kplus.Container {
    const { workload } = placement;
    return this.deployment.addContainer({
      name: workload.name,
      image: placement.imageRef,
      portNumber: workload.port,
      ...(workload.args.length ? { args: [...workload.args] } : {}),
      envVariables: {
        ...telemetryEnv(placement),
        ...(workload.models ? MODEL_CACHE_ENV : {}),
        ...(options.oidc ? oidcEnv(this, options.oidc) : {}),
        ...Object.fromEntries(Object.entries(workload.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        ...Object.fromEntries(
          Object.entries(workload.secretEnv).map(([k, ref]) => [
            k,
            kplus.EnvValue.fromSecretValue({
              secret: kplus.Secret.fromSecretName(this, `secret-env-${k}`, ref.secret),
              key: ref.key,
            }),
          ]),
        ),
      },
      resources: {
        cpu: { request: cpu(workload.resources.requests.cpu), limit: cpu(workload.resources.limits.cpu) },
        memory: {
          request: memory(workload.resources.requests.memory),
          limit: memory(workload.resources.limits.memory),
        },
      },
      securityContext: {
        ensureNonRoot: true,
        user: 10001,
        group: 10001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      ...probes(placement),
    });
  }

  /** /tmp, the workload's config, its model volume and its own volume. */
  private mountVolumes(
    placement: Placement,
    container: kplus.Container,
    labels: Record<string, string>,
  ): void {
    const { workload, namespace } = placement;
    // A read-only root file system still needs somewhere to write temporary files.
    container.mount("/tmp", kplus.Volume.fromEmptyDir(this, "tmp", "tmp"));

    if (Object.keys(workload.config).length > 0) {
      const name = `${workload.name}-config`;
      addModel(this, new ConfigMap({ metadata: { name, namespace, labels }, data: { ...workload.config } }));
      const configMap = kplus.ConfigMap.fromConfigMapName(this, "config-ref", name);
      container.mount(`/etc/${workload.name}`, kplus.Volume.fromConfigMap(this, "config", configMap), {
        readOnly: true,
      });
    }

    if (workload.models) addModelVolume(this, placement, container, labels);

    if (workload.storage) {
      const claim = `${workload.name}-data`;
      addModel(
        this,
        new PersistentVolumeClaim({
          metadata: { name: claim, namespace, labels },
          spec: {
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: workload.storage.size } },
          },
        }),
      );
      const pvc = kplus.PersistentVolumeClaim.fromClaimName(this, "data-ref", claim);
      container.mount(workload.storage.path, kplus.Volume.fromPersistentVolumeClaim(this, "data", pvc));
    }
  }

  /** The selector, and what cdk8s-plus cannot express: affinity, GPUs, model fill, trust, autoscaling. */
  private patchPodTemplate(placement: Placement, options: { oidc?: OidcClientEnv }): void {
    const { workload } = placement;
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(placement) }));
    const deployment = ApiObject.of(this.deployment);
    // cdk8s-plus stamps a construct-path label on the pod template; it would change with any refactor.
    deployment.addJsonPatch(JsonPatch.remove("/spec/template/metadata/labels/cdk8s.io~1metadata.addr"));
    if (workload.dataLevel === "high" && placement.cluster.location === "on-prem") {
      deployment.addJsonPatch(JsonPatch.add("/spec/template/spec/affinity", onPremAffinity()));
    }
    if (workload.gpu) {
      const gpus = String(workload.gpu);
      const resource = GPU_RESOURCE.replace("/", "~1");
      addFinalPatch(
        deployment,
        JsonPatch.add(`/spec/template/spec/containers/0/resources/limits/${resource}`, gpus),
        JsonPatch.add(`/spec/template/spec/containers/0/resources/requests/${resource}`, gpus),
      );
      deployment.addJsonPatch(
        JsonPatch.add("/spec/template/spec/tolerations", [
          { key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" },
        ]),
        JsonPatch.add("/spec/template/spec/nodeSelector", { [GPU_NODE_LABEL]: "true" }),
      );
    }
    if (workload.models) {
      // After cdk8s-plus' own conversion, which reads quantities as its wrapper class and would turn
      // the init container's plain resource strings into nothing (as for the GPU counts above).
      addFinalPatch(
        deployment,
        JsonPatch.add("/spec/template/spec/initContainers", [
          modelFillContainer(placement, `pvc-${workload.name}-models`),
        ]),
      );
      deployment.addJsonPatch(
        JsonPatch.add("/spec/template/spec/volumes/-", { name: FILL_TMP_VOLUME, emptyDir: {} }),
      );
    }
    addDatabaseClient(deployment, placement);
    if (callsOrgService(placement, options.oidc !== undefined)) addOrgCaTrust(deployment);
    if (workload.autoscale) deployment.addJsonPatch(JsonPatch.remove("/spec/replicas"));
  }

  private addService(placement: Placement, metadata: WorkloadMetadata): void {
    const { workload } = placement;
    const service = new kplus.Service(this, "service", {
      metadata,
      ports: [{ name: "http", port: workload.port, targetPort: workload.port }],
    });
    for (const [key, value] of Object.entries(selectorLabels(placement))) service.selectLabel(key, value);
  }

  /** A PodDisruptionBudget when more than one replica runs; a HorizontalPodAutoscaler when asked. */
  private addBudgetAndAutoscaler(placement: Placement, labels: Record<string, string>): void {
    const { workload, namespace } = placement;
    const minimum = workload.autoscale?.min ?? workload.replicas;
    if (minimum > 1) {
      addModel(
        this,
        new PodDisruptionBudget({
          metadata: { name: workload.name, namespace, labels },
          spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(placement) } },
        }),
      );
    }
    if (workload.autoscale) {
      addModel(
        this,
        new HorizontalPodAutoscaler({
          metadata: { name: workload.name, namespace, labels },
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: workload.name },
            minReplicas: workload.autoscale.min,
            maxReplicas: workload.autoscale.max,
            metrics: [
              {
                type: "Resource",
                resource: {
                  name: "cpu",
                  target: { type: "Utilization", averageUtilization: workload.autoscale.cpuPercent },
                },
              },
            ],
          },
        }),
      );
    }
  }
}

type WorkloadMetadata = { name: string; namespace: string; labels: Record<string, string> };

/**
 * OpenTelemetry SDK settings every application gets: traces to the agent on its own node (the
 * DaemonSet's hostPort), named after the workload, with its stage and group as resource attributes.
 */
function telemetryEnv(p: Placement): Record<string, kplus.EnvValue> {
  return {
    NODE_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_IP),
    OTEL_EXPORTER_OTLP_ENDPOINT: kplus.EnvValue.fromValue(`http://$(NODE_IP):${OTLP_HTTP_PORT}`),
    OTEL_EXPORTER_OTLP_PROTOCOL: kplus.EnvValue.fromValue("http/protobuf"),
    OTEL_SERVICE_NAME: kplus.EnvValue.fromValue(p.workload.name),
    OTEL_RESOURCE_ATTRIBUTES: kplus.EnvValue.fromValue(
      `deployment.environment.name=${p.stage},service.namespace=${p.workload.group},k8s.cluster.name=${p.cluster.name}`,
    ),
  };
}

/** A workload that calls JWT routes: its own Keycloak client and where to get a token. */
export interface OidcClientEnv {
  readonly clientId: string;
  readonly tokenUrl: string;
  /** Secret in the workload's namespace with the client secret (SOPS, same value as Keycloak's). */
  readonly secretName: string;
  readonly secretKey: string;
}

function oidcEnv(scope: Construct, oidc: OidcClientEnv): Record<string, kplus.EnvValue> {
  const secret = kplus.Secret.fromSecretName(scope, "oidc-client", oidc.secretName);
  return {
    OIDC_CLIENT_ID: kplus.EnvValue.fromValue(oidc.clientId),
    OIDC_CLIENT_SECRET: kplus.EnvValue.fromSecretValue({ secret, key: oidc.secretKey }),
    OIDC_TOKEN_URL: kplus.EnvValue.fromValue(oidc.tokenUrl),
  };
}

function percentOrAbsolute(value: string | number): kplus.PercentOrAbsolute {
  return typeof value === "number"
    ? kplus.PercentOrAbsolute.absolute(value)
    : kplus.PercentOrAbsolute.percent(Number(value.replace("%", "")));
}
