import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Estate } from "../lib/inventory/model.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

let estate: Estate;
let tree: FileTree;
beforeAll(async () => {
  ({ estate, tree } = await renderFixtureEstate());
});

const CORE = "dist/clusters/rke2-core";
const CLOUD = "dist/clusters/rke2-cloud";

/** A copy of the rendered estate with one file changed (YAML in, YAML out). */
function breaking(path: string, change: (manifest: any) => void): FileTree {
  const copy = new Map(tree);
  const manifest = parse(copy.get(path) as string);
  change(manifest);
  copy.set(path, stringify(manifest));
  return copy;
}

const problemsOf = async (files: FileTree) => (await validateHydrated(REPO, files, estate)).problems;

describe("the hydrated default estate", () => {
  it("renders every HelmRelease, admits every pod, uses only the mirrors", async () => {
    const result = await validateHydrated(REPO, tree, estate);
    expect(result.problems).toEqual([]);
    const helmReleases = [...tree.keys()].filter((p) => p.includes("/helmrelease-"));
    expect(result.hydrated.releases.map((r) => r.file).sort()).toEqual(helmReleases.sort());
    expect(result.admission.denied).toEqual([]);
    expect(result.admission.invalidSelectors).toEqual([]);
    // operator pods are judged too: CloudNativePG instances and Keycloak
    const pods = result.hydrated.objects.filter((o) => o.origin.startsWith("operator "));
    expect(pods.map((o) => o.manifest.metadata?.name)).toEqual(
      expect.arrayContaining(["postgis-1", "keycloak-0"]),
    );
    expect(result.hydrated.objects.some((o) => o.origin === "git keycloak-operator")).toBe(true);
    // Flux's controllers as the Flux Operator deploys them: admitted, from the mirror, pinned by digest.
    const flux = result.hydrated.objects.filter(
      (o) => o.origin === "operator FluxInstance flux-system/flux" && o.manifest.kind === "Deployment",
    );
    expect(flux).toHaveLength(4 * 3);
    for (const { manifest } of flux)
      expect((manifest.spec as any).template.spec.containers[0].image).toMatch(
        /^registry\.waterschap\.example\/ghcr\.io\/fluxcd\/[a-z-]+:v[\d.]+@sha256:[0-9a-f]{64}$/,
      );
    for (const e of result.admission.exceptions) expect(e.reason).not.toBe("(no reason given)");
  });

  it("runs the cluster-autoscaler on the cloud: its pools, a managed identity, admitted and connected", async () => {
    const result = await validateHydrated(REPO, tree, estate);
    const autoscaler = result.hydrated.objects.find(
      (o) =>
        o.cluster === "rke2-cloud" &&
        o.manifest.kind === "Deployment" &&
        o.origin === "helm cluster-autoscaler/cluster-autoscaler",
    )?.manifest as any;
    const container = autoscaler.spec.template.spec.containers[0];
    expect(container.image).toBe(
      "registry.waterschap.example/registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0",
    );
    expect(container.command).toContain("--nodes=2:8:vmss-rke2-cloud-workers");
    const env = container.env.map((e: any) => e.name);
    expect(env).toContain("ARM_USE_MANAGED_IDENTITY_EXTENSION");
    expect(env).not.toContain("ARM_CLIENT_SECRET");
    // Admitted under the cloud's enforcing policies, and only the connections it declares are open.
    expect(result.admission.denied).toEqual([]);
    const dir = `${CLOUD}/controllers/cluster-autoscaler`;
    for (const to of ["api-server", "metadata", "resource-manager", "dns"])
      expect(tree.has(`${dir}/networkpolicy-cluster-autoscaler-to-${to}-egress.yaml`), to).toBe(true);
    expect(
      parse(tree.get(`${CLOUD}/controllers/namespace-cluster-autoscaler.yaml`) as string).metadata.labels,
    ).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    // Nowhere else.
    expect(
      result.hydrated.objects.some(
        (o) => o.cluster !== "rke2-cloud" && o.origin.includes("cluster-autoscaler"),
      ),
    ).toBe(false);
  });
});

describe("validate fails, naming cluster, release and reason, when one thing breaks", () => {
  it("a Flux version whose distribution is not vendored: its controllers cannot be proven", async () => {
    const files = breaking(`${CORE}/fluxinstance-flux.yaml`, (m) => {
      m.spec.distribution.version = "2.9.9";
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /rke2-core.*FluxInstance flux-system\/flux: cannot prove Flux 2\.9\.9: not vendored/,
      ),
    );
  });

  it("a FluxInstance without the mirror as its registry: the controllers would pull from ghcr.io", async () => {
    const files = breaking(`${CORE}/fluxinstance-flux.yaml`, (m) => {
      delete m.spec.distribution.registry;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /FluxInstance flux-system\/flux: cluster "rke2-core": Deployment flux-system\/source-controller: image ghcr\.io\/fluxcd\/source-controller:v[\d.]+@sha256:[0-9a-f]{64} is not pulled through registry\.waterschap\.example$/,
      ),
    );
  });

  it("a chart version that is not vendored", async () => {
    const files = breaking(`${CORE}/apps/ollama/ocirepository-ollama.yaml`, (m) => {
      m.spec.ref.tag = "1.78.0";
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(/rke2-core.*HelmRelease ollama\/ollama: chart ollama 1\.78\.0 is not vendored/),
    );
  });

  it("a chart that refuses its values (Loki in single-binary mode with scalable replicas)", async () => {
    const files = breaking(`${CORE}/apps/observability/helmrelease-loki.yaml`, (m) => {
      m.spec.values.read.replicas = 3;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /HelmRelease observability\/loki: chart loki 6\.46\.0 refuses the values: .*single binary/,
      ),
    );
  });

  it("a values key the chart does not have", async () => {
    const files = breaking(`${CORE}/controllers/kong/helmrelease-kong.yaml`, (m) => {
      m.spec.values.gateway.replicaCont = 2;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /HelmRelease kong\/kong: values key "gateway.replicaCont" does not exist in chart ingress/,
      ),
    );
  });

  it("a values key that fails the chart's values.schema.json", async () => {
    const files = breaking(`${CORE}/apps/telemetry/helmrelease-otel-agent.yaml`, (m) => {
      m.spec.values.mode = "sidecar";
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(/otel-agent: chart opentelemetry-collector .* refuses the values/),
    );
  });

  it("an image a chart renders from outside the mirror on an on-prem cluster", async () => {
    const files = breaking(`${CORE}/apps/observability/helmrelease-tempo.yaml`, (m) => {
      m.spec.values.tempo.registry = "docker.io";
    });
    const problems = await problemsOf(files);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /StatefulSet observability\/tempo: image docker\.io\/grafana\/tempo:2\.9\.0 is not pulled through registry\.waterschap\.example/,
      ),
    );
  });

  it("a GPU operand image that bypasses the mirror", async () => {
    const files = breaking(`${CORE}/controllers/gpu-operator/helmrelease-gpu-operator.yaml`, (m) => {
      m.spec.values.devicePlugin.repository = "nvcr.io/nvidia";
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(/ClusterPolicy .*: image nvcr\.io\/nvidia\/k8s-device-plugin/),
    );
  });

  it("a chart source on the public internet on an on-prem cluster", async () => {
    const files = breaking(`${CORE}/controllers/kyverno/ocirepository-kyverno.yaml`, (m) => {
      m.spec.url = "oci://ghcr.io/kyverno/charts/kyverno";
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(/OCIRepository kyverno\/kyverno: source oci:\/\/ghcr\.io.* has no internet/),
    );
  });

  it("a pod its namespace's Pod Security level denies", async () => {
    const files = breaking(`${CORE}/apps/observability/helmrelease-tempo.yaml`, (m) => {
      delete m.spec.values.tempo.securityContext;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /observability\/tempo \(StatefulSet\): pod-security restricted v1\.35: allowPrivilegeEscalation != false/,
      ),
    );
  });

  it("a pod a production policy denies (a chart pod without resources)", async () => {
    const files = breaking(`${CLOUD}/controllers/kong/helmrelease-kong.yaml`, (m) => {
      delete m.spec.values.gateway.resources;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /rke2-cloud.*kong\/kong-gateway \(Deployment\): ValidatingPolicy require-requests-limits/,
      ),
    );
  });

  it("an operator-created pod a production policy denies (a CNPG Cluster without resources)", async () => {
    const files = breaking(`${CORE}/apps/data/cluster-postgis.yaml`, (m) => {
      delete m.spec.resources;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(/data\/postgis-1 \(Pod\): ValidatingPolicy require-requests-limits/),
    );
  });

  it("CloudNativePG's bootstrap Jobs: judged like the instances, and 'cannot prove' for a bootstrap not modelled", async () => {
    const withoutResources = breaking(`${CORE}/apps/data/cluster-postgis.yaml`, (m) => {
      delete m.spec.resources;
    });
    expect(await problemsOf(withoutResources)).toContainEqual(
      expect.stringMatching(/data\/postgis-2-join \(Pod\): ValidatingPolicy require-requests-limits/),
    );
    const recovered = breaking(`${CORE}/apps/data/cluster-postgis.yaml`, (m) => {
      m.spec.bootstrap = { recovery: { source: "postgis-backup" } };
    });
    expect(await problemsOf(recovered)).toContainEqual(
      `${CORE}/apps/data/cluster-postgis.yaml: cluster "rke2-core": Cluster data/postgis: cannot prove: its bootstrap.recovery Job is not modelled (only initdb is)`,
    );
  });

  it("an image verification that skips init containers", async () => {
    const files = breaking(`${CORE}/configs/imagevalidatingpolicy-verify-image-signatures.yaml`, (m) => {
      m.spec.validations[0].expression =
        "images.containers.map(image, verifyImageSignatures(image, [attestors.waterschap])).all(e, e > 0)";
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /data\/postgis-1 \(Pod\): ImageValidatingPolicy verify-image-signatures: image .*cloudnative-pg:1\.30\.0 is never verified/,
      ),
    );
  });

  it("a selector Kyverno would copy into its webhook that the API server refuses", async () => {
    const files = breaking(`${CLOUD}/configs/validatingpolicy-geo-fence-high-data.yaml`, (m) => {
      m.spec.matchConstraints.namespaceSelector = {
        matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [] }],
      };
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(/geo-fence-high-data: label-selector: .*NotIn needs at least one value/),
    );
  });

  it("a missing PolicyException, or one outside Kyverno's exception namespace", async () => {
    const path = `${CORE}/configs/kyverno/policyexception-gpu-operator-hook-jobs.yaml`;
    const without = new Map(tree);
    without.delete(path);
    const moved = breaking(path, (m) => {
      m.metadata.namespace = "gpu-operator";
    });
    for (const files of [without, moved]) {
      expect(await problemsOf(files)).toContainEqual(
        expect.stringMatching(
          /gpu-operator\/gpu-operator-upgrade-crd \(Job\): ValidatingPolicy require-requests-limits/,
        ),
      );
    }
  });

  it("a chart that keeps data on a HelmRelease Flux may prune", async () => {
    const files = breaking(`${CORE}/apps/object-store/helmrelease-object-store.yaml`, (m) => {
      delete m.metadata.annotations;
    });
    expect(await problemsOf(files)).toContainEqual(
      expect.stringMatching(
        /HelmRelease object-store\/object-store: its chart keeps data \(StatefulSet object-store-minio\)/,
      ),
    );
  });

  it("logs and traces shipped where their data may not be held, or somewhere the estate cannot name", async () => {
    const files = breaking(`${CORE}/apps/telemetry/helmrelease-otel-agent.yaml`, (m) => {
      const config = m.spec.values.config;
      config.exporters["otlphttp/cloud"] = { endpoint: "https://otel.cloud.waterschap.example" };
      config.exporters["otlp/vendor"] = { endpoint: "traces.vendor.example:4317" };
      config.service.pipelines.logs.exporters.push("otlphttp/cloud");
      config.service.pipelines.traces.exporters.push("otlp/vendor");
    });
    const at =
      'helm telemetry/otel-agent: cluster "rke2-core": ConfigMap telemetry/otel-agent-opentelemetry-collector-agent (relay): telemetry:';
    expect((await problemsOf(files)).filter((p) => p.includes("telemetry:"))).toEqual([
      `${at} pipeline logs exports (otlphttp/cloud): high data would reach rke2-cloud, a cloud cluster`,
      `${at} pipeline traces exports (otlp/vendor): cannot prove where high data goes: traces.vendor.example is no cluster of the estate and no endpoint rke2-core declares`,
    ]);
  });

  it("a replication role that may connect to data that is not the anonymised publication", async () => {
    const master = `${CORE}/apps/data/cluster-postgis.yaml`;
    const publisher = `${CORE}/apps/data/cluster-anonymised.yaml`;
    const subscriber = {
      name: "subscriber",
      login: true,
      replication: true,
      passwordSecret: { name: "postgis-subscriber" },
    };
    // The old defect: the subscriber's role on the master, whose database holds the sensitive tables.
    const onMaster = breaking(master, (m) => m.spec.managed.roles.push(subscriber));
    expect((await problemsOf(onMaster)).filter((p) => p.includes("REPLICATION"))).toEqual([
      `${master}: cluster "rke2-core": Cluster data/postgis: role subscriber has REPLICATION and may connect to database meetdata (pg_hba: host all all all scram-sha-256), but it is not published: logical decoding streams every table of it, whatever the grants; confine the role with pg_hba to the published database`,
    ]);
    // A table outside the anonymised schema in the published database.
    const leaky = breaking(publisher, (m) =>
      m.spec.bootstrap.initdb.postInitApplicationSQL.push("CREATE TABLE public.klanten (bsn text)"),
    );
    expect((await problemsOf(leaky)).filter((p) => p.includes("REPLICATION"))).toEqual([
      expect.stringContaining(
        "role subscriber has REPLICATION and may connect to database anonymised (pg_hba: hostssl anonymised subscriber 10.40.2.0/24 scram-sha-256), but it holds tables outside the anonymised schema (public.klanten)",
      ),
    ]);
    // pg_hba reads first match: a reject for one range does not confine the role elsewhere.
    const loose = breaking(publisher, (m) => {
      m.spec.bootstrap.initdb.database = "meetdata";
      m.spec.postgresql.pg_hba = ["host all subscriber 10.0.0.0/8 reject"];
    });
    expect((await problemsOf(loose)).filter((p) => p.includes("REPLICATION"))).toEqual([
      expect.stringContaining(
        "may connect to database meetdata (pg_hba: host all all all scram-sha-256), but it is not published",
      ),
    ]);
    // A line this reading does not follow is "cannot prove", never a pass.
    const unreadable = breaking(publisher, (m) => {
      m.spec.postgresql.pg_hba = ["host samerole subscriber all scram-sha-256", ...m.spec.postgresql.pg_hba];
    });
    expect((await problemsOf(unreadable)).filter((p) => p.includes("cannot prove what role"))).toEqual([
      `${publisher}: cluster "rke2-core": Cluster data/anonymised: cannot prove what role subscriber may reach: pg_hba line "host samerole subscriber all scram-sha-256"`,
    ]);
  });

  it("a cloud workload or gateway that a node drain by the autoscaler would take down, or never let go", async () => {
    const kong = `${CLOUD}/controllers/kong/helmrelease-kong.yaml`;
    const portal = `${CLOUD}/apps/portal/deployment-portal-api.yaml`;
    const budget = `${CLOUD}/apps/agents/poddisruptionbudget-cloud-agents.yaml`;
    let files = breaking(kong, (m) => {
      delete m.spec.values.gateway.podDisruptionBudget;
    });
    files = new Map(files);
    const portalApi = parse(files.get(portal) as string);
    portalApi.spec.replicas = 1;
    files.set(portal, stringify(portalApi));
    const pdb = parse(files.get(budget) as string);
    pdb.spec = { ...pdb.spec, maxUnavailable: 0 };
    files.set(budget, stringify(pdb));
    const unreadable = `${CLOUD}/apps/portal/poddisruptionbudget-waterpeil-portal.yaml`;
    const half = parse(files.get(unreadable) as string);
    half.spec = { ...half.spec, maxUnavailable: "half" };
    files.set(unreadable, stringify(half));
    expect((await problemsOf(files)).filter((p) => p.includes("scale-down:"))).toEqual([
      `${CLOUD}/apps/agents/deployment-cloud-agents.yaml: cluster "rke2-cloud": Deployment agents/cloud-agents: scale-down: PodDisruptionBudget cloud-agents lets none of its 2 replicas go; the autoscaler can never remove a node it runs on`,
      `${portal}: cluster "rke2-cloud": Deployment portal/portal-api: scale-down: runs 1 replica; when the autoscaler drains its node it is down until it starts elsewhere (run two, or list it as a singleton with its reason)`,
      `${CLOUD}/apps/portal/deployment-waterpeil-portal.yaml: cluster "rke2-cloud": Deployment portal/waterpeil-portal: scale-down: cannot prove how many replicas PodDisruptionBudget waterpeil-portal lets go`,
      'helm kong/kong: cluster "rke2-cloud": Deployment kong/kong-gateway: scale-down: no PodDisruptionBudget covers its 2 replicas; draining a node evicts every replica on it at once',
    ]);
  });

  it("non-prod clusters audit instead of deny", async () => {
    const files = breaking("dist/clusters/rke2-nonprod/controllers/kong/helmrelease-kong.yaml", (m) => {
      delete m.spec.values.gateway.resources;
    });
    const result = await validateHydrated(REPO, files, estate);
    expect(result.problems).toEqual([]);
    expect(result.admission.audited.map((f) => f.subject)).toContain("kong/kong-gateway (Deployment)");
  });
});
