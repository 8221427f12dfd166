import type { Manifest } from "../k8s/model-object.ts";
import { cnpgServiceAccount } from "./cnpg-objects.ts";

/**
 * The pods operators create from custom resources, modelled on their sources at the pinned versions,
 * so admission and Pod Security can judge them like any other pod.
 */

type Spec = Record<string, any>;

/**
 * CloudNativePG's defaults for instance pods and containers, as its security documentation states
 * them: uid/gid 26, RuntimeDefault seccomp, no privilege escalation, every capability dropped.
 */
const CNPG_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 26,
  runAsGroup: 26,
  fsGroup: 26,
  seccompProfile: { type: "RuntimeDefault" },
};
const CNPG_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
  capabilities: { drop: ["ALL"] },
};

/** The instance container's ports as the operator declares them (pkg/specs/pods.go). */
const CNPG_PORTS = [
  { name: "postgresql", containerPort: 5432, protocol: "TCP" },
  { name: "metrics", containerPort: 9187, protocol: "TCP" },
  { name: "status", containerPort: 8000, protocol: "TCP" },
];
/** Keycloak's HTTPS, management and cache (JGroups) ports as its operator's StatefulSet has them. */
const KEYCLOAK_PORTS = [
  { name: "https", containerPort: 8443, protocol: "TCP" },
  { name: "management", containerPort: 9000, protocol: "TCP" },
  { name: "jgroups", containerPort: 7800, protocol: "TCP" },
  { name: "jgroups-fd", containerPort: 57800, protocol: "TCP" },
];

/**
 * A CloudNativePG `Cluster` becomes `instances` pods: the `bootstrap-controller` init container runs
 * the operator's image (it copies the instance manager), the `postgres` container the Cluster's
 * `imageName`; both take `spec.resources`. `operatorImage` is the rendered operator's image.
 */
export function cnpgInstancePods(
  cluster: Manifest,
  operatorImage: string,
  backupSidecar?: { image: string; resources: Spec },
): Manifest[] {
  const spec = (cluster.spec ?? {}) as Spec;
  const name = cluster.metadata?.name as string;
  return Array.from({ length: Number(spec.instances ?? 1) }, (_, i) => {
    const pod = cnpgPod(cluster, operatorImage, `${name}-${i + 1}`, "postgres");
    pod.metadata.labels = {
      ...(spec.inheritedMetadata?.labels ?? {}),
      ...pod.metadata.labels,
      "cnpg.io/podRole": "instance",
      "cnpg.io/instanceRole": i === 0 ? "primary" : "replica",
      role: i === 0 ? "primary" : "replica",
    };
    (pod.spec.containers[0] as Spec).ports = CNPG_PORTS;
    if (backupSidecar) pod.spec.initContainers.push(barmanSidecar(backupSidecar));
    return pod;
  });
}

/**
 * The Jobs that make each instance's data directory before its pod starts (pkg/specs/jobs.go at
 * 1.30, CreatePrimaryJob): `<instance>-initdb` for the first, `<instance>-join` (pg_basebackup from the
 * primary) for every other, each a pod with the instance's init container, volumes and security, its
 * one container named after the role, labelled `cnpg.io/jobRole`, without `cnpg.io/podRole`. Only
 * the `initdb` bootstrap is modelled; another is returned as what cannot be proven.
 */
export function cnpgJobPods(
  cluster: Manifest,
  operatorImage: string,
): { pods: Manifest[]; unmodelled?: string } {
  const spec = (cluster.spec ?? {}) as Spec;
  const name = cluster.metadata?.name as string;
  const method = Object.keys(spec.bootstrap ?? { initdb: {} }).find((key) => key !== "initdb");
  if (method) return { pods: [], unmodelled: `its bootstrap.${method} Job is not modelled (only initdb is)` };
  const pods = Array.from({ length: Number(spec.instances ?? 1) }, (_, i) => {
    const role = i === 0 ? "initdb" : "join";
    const instance = `${name}-${i + 1}`;
    const pod = cnpgPod(cluster, operatorImage, instance, role, `${instance}-${role}`);
    pod.metadata.labels = {
      ...pod.metadata.labels,
      "cnpg.io/jobRole": role,
      "app.kubernetes.io/name": "postgresql",
      "app.kubernetes.io/instance": name,
      "app.kubernetes.io/component": "database",
      "app.kubernetes.io/managed-by": "cloudnative-pg",
    };
    return pod;
  });
  return { pods };
}

/** What an instance pod and its Jobs' pods share: security, the instance manager, the volumes. */
function cnpgPod(
  cluster: Manifest,
  operatorImage: string,
  instance: string,
  container: string,
  podName = instance,
) {
  const spec = (cluster.spec ?? {}) as Spec;
  const resources = spec.resources ?? {};
  const containerSecurity = { ...CNPG_CONTAINER_SECURITY, ...(spec.securityContext ?? {}) };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podName,
      namespace: cluster.metadata?.namespace as string,
      labels: {
        "cnpg.io/cluster": cluster.metadata?.name as string,
        "cnpg.io/instanceName": instance,
      } as Record<string, string>,
    },
    spec: {
      securityContext: {
        ...CNPG_POD_SECURITY,
        ...(spec.seccompProfile ? { seccompProfile: spec.seccompProfile } : {}),
      },
      initContainers: [
        { name: "bootstrap-controller", image: operatorImage, resources, securityContext: containerSecurity },
      ] as Spec[],
      serviceAccountName: cnpgServiceAccount(cluster),
      containers: [
        { name: container, image: spec.imageName, resources, securityContext: containerSecurity },
      ] as Spec[],
      volumes: [
        { name: "pgdata", persistentVolumeClaim: { claimName: instance } },
        { name: "scratch-data", emptyDir: {} },
        { name: "shm", emptyDir: { medium: "Memory" } },
      ],
    },
  };
}

/**
 * A Keycloak CR becomes a StatefulSet of `instances` pods with one `keycloak` container: the CR's
 * image (else the operator's RELATED_IMAGE_KEYCLOAK), `spec.resources`, and only the security
 * context given in `spec.unsupported.podTemplate` (the operator sets none on Kubernetes).
 */
export function keycloakPods(keycloak: Manifest, defaultImage: string | undefined): Manifest[] {
  const spec = (keycloak.spec ?? {}) as Spec;
  const name = keycloak.metadata?.name as string;
  const template = spec.unsupported?.podTemplate ?? {};
  const overrides = (template.spec?.containers?.[0] ?? {}) as Spec;
  return Array.from({ length: Number(spec.instances ?? 1) }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${name}-${i}`,
      namespace: keycloak.metadata?.namespace as string,
      labels: {
        ...(template.metadata?.labels ?? {}),
        app: "keycloak",
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/managed-by": "keycloak-operator",
      },
    },
    spec: {
      ...(template.spec?.securityContext ? { securityContext: template.spec.securityContext } : {}),
      containers: [
        {
          ...overrides,
          name: "keycloak",
          image: spec.image ?? defaultImage,
          ports: KEYCLOAK_PORTS,
          resources: spec.resources ?? { requests: { memory: "1700Mi" }, limits: { memory: "2Gi" } },
        },
      ],
      volumes: template.spec?.volumes ?? [],
    },
  }));
}

/**
 * The Barman Cloud plugin's sidecar, injected into each instance pod of a Cluster that archives with
 * it: a restartable init container with the plugin's sidecar image, the ObjectStore's
 * `instanceSidecarConfiguration.resources` and a fixed restricted security context
 * (cloudnative-pg/plugin-barman-cloud, internal/cnpgi/operator/lifecycle.go, reconcilePodSpec).
 */
function barmanSidecar({ image, resources }: { image: string; resources: Spec }): Spec {
  return {
    name: "plugin-barman-cloud",
    image,
    args: ["instance"],
    restartPolicy: "Always",
    resources,
    // The plugin's fixed context is the same as CloudNativePG's for its own containers.
    securityContext: CNPG_CONTAINER_SECURITY,
  };
}

/**
 * A KeycloakRealmImport becomes a Job whose pod is the Keycloak pod template with `app:
 * keycloak-realm-import`, no ports in use, and each placeholder as an env variable from its Secret
 * (keycloak/keycloak, operator KeycloakRealmImportJobDependentResource).
 */
export function realmImportPod(
  realmImport: Manifest,
  keycloak: Manifest,
  defaultImage: string | undefined,
): Manifest {
  const [template] = keycloakPods(
    { ...keycloak, spec: { ...(keycloak.spec as Spec), instances: 1 } },
    defaultImage,
  );
  const placeholders = ((realmImport.spec as Spec)?.placeholders ?? {}) as Record<
    string,
    { secret: { name: string; key: string } }
  >;
  const pod = template as Manifest & { spec: Spec };
  const [container] = pod.spec.containers as Spec[];
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      name: `${realmImport.metadata?.name}-import`,
      labels: { ...(pod.metadata?.labels as Record<string, string>), app: "keycloak-realm-import" },
    },
    spec: {
      ...pod.spec,
      restartPolicy: "Never",
      containers: [
        {
          ...container,
          ports: undefined,
          resources: (realmImport.spec as Spec)?.resources ?? container?.resources,
          env: Object.entries(placeholders).map(([name, { secret }]) => ({
            name,
            valueFrom: { secretKeyRef: { name: secret.name, key: secret.key, optional: false } },
          })),
        },
      ],
    },
  };
}

/**
 * The Services the Keycloak operator keeps for a Keycloak CR (KeycloakServiceDependentResource and
 * KeycloakDiscoveryServiceDependentResource): `<name>-service` with HTTPS (HTTP too when TLS is not
 * configured or HTTP is enabled) and the management port, and the headless `<name>-discovery` for
 * the cache cluster.
 */
export function keycloakServices(keycloak: Manifest): Manifest[] {
  const spec = (keycloak.spec ?? {}) as Spec;
  const name = keycloak.metadata?.name as string;
  const namespace = keycloak.metadata?.namespace as string;
  const selector = {
    app: "keycloak",
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/managed-by": "keycloak-operator",
  };
  const tls = !!spec.http?.tlsSecret;
  const ports = [
    ...(!tls || spec.http?.httpEnabled
      ? [{ name: "http", protocol: "TCP", port: spec.http?.httpPort ?? 8080 }]
      : []),
    ...(tls ? [{ name: "https", protocol: "TCP", port: spec.http?.httpsPort ?? 8443 }] : []),
    { name: "management", protocol: "TCP", port: spec.httpManagement?.port ?? 9000 },
  ];
  const service = (suffix: string, serviceSpec: Spec): Manifest => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `${name}${suffix}`, namespace, labels: selector },
    spec: { selector, ...serviceSpec },
  });
  return [
    service("-service", { ports }),
    service("-discovery", {
      clusterIP: "None",
      publishNotReadyAddresses: true,
      ports: [{ name: "tcp", protocol: "TCP", port: 7800 }],
    }),
  ];
}
