import type { Manifest } from "../k8s/model-object.ts";

type Spec = Record<string, any>;

/** The Services CloudNativePG keeps for every Cluster (pkg/specs/services.go at 1.30), by suffix. */
const DEFAULT_SERVICES: Record<string, { selectorType: string; selector: (name: string) => Spec }> = {
  "-rw": {
    selectorType: "rw",
    selector: (name) => ({ "cnpg.io/cluster": name, "cnpg.io/instanceRole": "primary" }),
  },
  "-ro": {
    selectorType: "ro",
    selector: (name) => ({ "cnpg.io/cluster": name, "cnpg.io/instanceRole": "replica" }),
  },
  "-r": {
    selectorType: "r",
    selector: (name) => ({ "cnpg.io/cluster": name, "cnpg.io/podRole": "instance" }),
  },
};
const POSTGRES_PORT = { name: "postgres", protocol: "TCP", port: 5432, targetPort: 5432 };

/**
 * The Services a CloudNativePG `Cluster` gets: `-rw`, `-ro` and `-r` (minus `managed.services.
 * disabledDefaultServices`), and each of `managed.services.additional` built from its serviceTemplate
 * (its type, annotations and spec kept; the selector and the postgres port of its selectorType's
 * default service added), as BuildManagedServices builds them.
 */
export function cnpgServices(cluster: Manifest): Manifest[] {
  const name = cluster.metadata?.name as string;
  const namespace = cluster.metadata?.namespace as string;
  const managed = ((cluster.spec as Spec)?.managed?.services ?? {}) as Spec;
  const disabled = new Set<string>(managed.disabledDefaultServices ?? []);
  const labels = { "cnpg.io/cluster": name, "app.kubernetes.io/managed-by": "cloudnative-pg" };
  const service = (serviceName: string, spec: Spec, metadata: Spec = {}): Manifest => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      ...metadata,
      name: serviceName,
      namespace,
      labels: { ...(metadata.labels ?? {}), ...labels },
    },
    spec,
  });
  const defaults = Object.entries(DEFAULT_SERVICES)
    .filter(([, s]) => !disabled.has(s.selectorType))
    .map(([suffix, s]) =>
      service(`${name}${suffix}`, { type: "ClusterIP", ports: [POSTGRES_PORT], selector: s.selector(name) }),
    );
  const additional = ((managed.additional ?? []) as Spec[]).flatMap((extra) => {
    const base = Object.values(DEFAULT_SERVICES).find((s) => s.selectorType === extra.selectorType);
    const template = (extra.serviceTemplate ?? {}) as Spec;
    if (!base || !template.metadata?.name) return [];
    const ports = [...(template.spec?.ports ?? [])];
    if (!ports.some((p: Spec) => p.name === POSTGRES_PORT.name)) ports.push(POSTGRES_PORT);
    return [
      service(
        template.metadata.name,
        { type: "ClusterIP", ...(template.spec ?? {}), ports, selector: base.selector(name) },
        {
          labels: { ...(template.metadata.labels ?? {}), "cnpg.io/isManaged": "true" },
          annotations: template.metadata.annotations ?? {},
        },
      ),
    ];
  });
  return [...defaults, ...additional];
}

/**
 * The PersistentVolumeClaims a CloudNativePG `Cluster` creates per instance (pkg/reconciler/
 * persistentvolumeclaim/build.go at 1.30): data `<name>-<n>`, WAL `<name>-<n>-wal`, and one per
 * tablespace `<name>-<n>-tbs-<tablespace>`, each from its storage block's pvcTemplate, with its
 * storageClass and ReadWriteOnce unless the template says otherwise.
 */
export function cnpgVolumeClaims(cluster: Manifest): Manifest[] {
  const spec = (cluster.spec ?? {}) as Spec;
  const name = cluster.metadata?.name as string;
  const storages: [string, Spec | undefined][] = [
    ["", spec.storage],
    ["-wal", spec.walStorage],
    ...((spec.tablespaces ?? []) as Spec[]).map((t): [string, Spec] => [`-tbs-${t.name}`, t.storage]),
  ];
  return Array.from({ length: Number(spec.instances ?? 1) }, (_, i) => i + 1).flatMap((serial) =>
    storages
      .filter((entry): entry is [string, Spec] => !!entry[1])
      .map(([suffix, storage]) => {
        const template = (storage.pvcTemplate ?? {}) as Spec;
        return {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: `${name}-${serial}${suffix}`, namespace: cluster.metadata?.namespace as string },
          spec: {
            ...template,
            accessModes: template.accessModes?.length ? template.accessModes : ["ReadWriteOnce"],
            ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
            resources: { requests: { storage: storage.size ?? template.resources?.requests?.storage } },
          },
        };
      }),
  );
}

/**
 * The instance manager's access the operator creates for every `Cluster` (pkg/specs/roles.go and
 * rolebinding.go at 1.30): a Role named after the Cluster, bound to its ServiceAccount
 * (`spec.serviceAccountName`, else the Cluster's name), which its instance and Job pods run as. Only
 * the rules on the Cluster itself are listed: what matters here is that the pods call the API server.
 */
export function cnpgAccess(cluster: Manifest): Manifest[] {
  const name = cluster.metadata?.name as string;
  const namespace = cluster.metadata?.namespace as string;
  const account = cnpgServiceAccount(cluster);
  const onCluster = (resource: string, verbs: string[]) => ({
    apiGroups: ["postgresql.cnpg.io"],
    resources: [resource],
    verbs,
    resourceNames: [name],
  });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name, namespace },
      rules: [
        onCluster("clusters", ["get", "list", "watch"]),
        onCluster("clusters/status", ["get", "patch", "update", "watch"]),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name, namespace },
      subjects: [{ kind: "ServiceAccount", apiGroup: "", name: account, namespace }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    },
  ];
}

/** The ServiceAccount a Cluster's pods run as (api/v1 GetServiceAccountName). */
export function cnpgServiceAccount(cluster: Manifest): string {
  return (
    ((cluster.spec as Spec | undefined)?.serviceAccountName as string | undefined) ??
    (cluster.metadata?.name as string)
  );
}
