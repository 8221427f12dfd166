import { z } from "zod";

/**
 * The platform contract: what a cluster must provide before Flux applies the estate, as data in its
 * cluster file. Synth renders from it and validate checks every consumer against it (the DNS names
 * in rendered config, LoadBalancer addresses, StorageClasses, the GPU driver).
 */

const ipv4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/;
/** An IPv4 CIDR: shared with the inventory schema (lib/inventory/schema.ts). */
export const ipv4Cidr = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/,
    "must be an IPv4 CIDR (a.b.c.d/0-32)",
  );

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label");
const qualifiedName = z
  .string()
  .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "must be a qualified name");

export const ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const PlatformContractSchema = z.strictObject({
  /** The Kubernetes distribution and its exact release (`v1.34.2+rke2r1`). */
  distribution: z.strictObject({
    name: z.literal("rke2"),
    version: z.string().regex(/^v1\.\d+\.\d+\+rke2r\d+$/, "must be an RKE2 release such as v1.34.2+rke2r1"),
  }),
  /** The CNI RKE2 runs, and the ranges it gives pods and Services. */
  cni: z.strictObject({
    plugin: z.enum(["canal", "calico", "cilium"]),
    podCidr: ipv4Cidr,
    serviceCidr: ipv4Cidr,
    /** The prefix length of each node's share of podCidr (kube-controller-manager's node-cidr-mask-size). */
    nodeMask: z.number().int().min(8).max(30).default(24),
  }),
  /** The cluster DNS Service every pod's resolv.conf points at, and the cluster domain. */
  clusterDns: z.strictObject({
    namespace: dnsLabel,
    service: dnsLabel,
    domain: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS domain"),
  }),
  /**
   * What gives LoadBalancer Services an address, and from which ranges (a.b.c.d/n, or a.b.c.d-a.b.c.e).
   * Azure's load balancer allocates its own public addresses: no pools.
   */
  loadBalancer: z.strictObject({
    implementation: z.enum(["metallb", "kube-vip", "azure"]),
    pools: z.array(
      z.strictObject({
        name: dnsLabel,
        addresses: z
          .array(
            z.union([
              ipv4Cidr,
              z.string().refine((s) => {
                const [from, to] = s.split("-");
                return !!from && !!to && ipv4.test(from) && ipv4.test(to);
              }, "must be an IPv4 CIDR or a range a.b.c.d-a.b.c.e"),
            ]),
          )
          .min(1),
      }),
    ),
  }),
  /** The StorageClasses PVCs may name: who provides them, their provisioner and access modes. */
  storageClasses: z
    .array(
      z.strictObject({
        name: dnsLabel,
        provisioner: qualifiedName,
        accessModes: z.array(z.enum(ACCESS_MODES)).min(1),
        default: z.boolean().optional(),
      }),
    )
    .min(1),
  /**
   * The container log files on the nodes, as the container runtime writes them (RKE2's containerd:
   * `/var/log/pods/<ns>_<pod>_<uid>/<container>/N.log`, mode 0640, root:root). A log reader must be
   * able to read them as its user and groups.
   */
  nodeLogs: z.strictObject({
    path: z.string().regex(/^\/[\w./-]*[^/]$/, "must be an absolute path"),
    owner: z.number().int().min(0),
    group: z.number().int().min(0),
    mode: z.string().regex(/^0[0-7]{3}$/, "must be an octal mode such as 0640"),
  }),
  /** GPU nodes: how the NVIDIA driver gets there, and the node facts its image tag depends on. */
  gpu: z
    .strictObject({
      /**
       * `host`: installed on the nodes, the operator's driver is off. `precompiled`: the operator runs
       * NVIDIA's precompiled image for the nodes' kernel, from the mirror. `package-repository`: the
       * driver is built at start from a package repository inside the datacenter (a ConfigMap of
       * repository files in the operator's namespace).
       */
      driver: z.enum(["host", "precompiled", "package-repository"]),
      /** `<ID><VERSION_ID>` of the nodes' os-release, as NVIDIA tags driver images (`ubuntu24.04`). */
      nodeOs: z.string().regex(/^[a-z]+[0-9.]+$/, "must be an OS tag such as ubuntu24.04"),
      /** `uname -r` of the GPU nodes; precompiled images exist per kernel. */
      kernel: z
        .string()
        .regex(/^[0-9][\w.-]*$/, "must be a kernel release such as 6.8.0-85-generic")
        .optional(),
      /** The repository ConfigMap for `package-repository`. */
      repositoryConfigMap: dnsLabel.optional(),
    })
    .optional(),
});

export type PlatformContract = z.output<typeof PlatformContractSchema>;
