import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROUTING_TABLE, routesExternally } from "../lib/ai/routing-table.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { find, objectsOf, renderFixtureEstate, specOf, type TreeObject } from "./helpers.ts";

let estate: Estate;
let objects: TreeObject[];
let tree: FileTree;
beforeAll(async () => {
  const rendered = await renderFixtureEstate();
  estate = rendered.estate;
  tree = rendered.tree;
  objects = objectsOf(rendered.tree);
});

const clustersWith = (kind: string, name: string) =>
  [
    ...new Set(
      objects
        .filter((o) => o.manifest.kind === kind && o.manifest.metadata?.name === name)
        .map((o) => o.cluster),
    ),
  ].sort();
const one = (cluster: string, kind: string, name: string, namespace?: string) => {
  const found = find(objects, cluster, kind, name, namespace);
  expect(found, `${cluster} ${kind} ${namespace}/${name}`).toHaveLength(1);
  return found[0] as TreeObject;
};

describe("placement", () => {
  it("puts each component on the right clusters", () => {
    expect(clustersWith("Gateway", "public")).toEqual(["rke2-cloud"]);
    expect(clustersWith("Gateway", "internal")).toEqual(["rke2-core", "rke2-nonprod"]);
    for (const name of [
      "vllm",
      "druppie-router",
      "internal-agents",
      "webodm",
      "nodeodx",
      "legacy-connectors",
    ]) {
      expect(clustersWith("Deployment", name), name).toEqual(["rke2-core"]);
    }
    expect(clustersWith("Deployment", "cloud-agents")).toEqual(["rke2-cloud"]);
    for (const name of ["ollama", "loki", "tempo", "object-store"])
      expect(clustersWith("HelmRelease", name), name).toEqual(["rke2-core"]);
    expect(clustersWith("Keycloak", "keycloak")).toEqual(["rke2-core"]);
    expect(clustersWith("HelmRelease", "otel-agent")).toEqual(["rke2-cloud", "rke2-core", "rke2-nonprod"]);
  });
});

describe("GPU scheduling", () => {
  it("vLLM and NodeODX request GPUs, tolerate the GPU taint, select GPU nodes; vLLM gets shm and a read-only model volume", () => {
    for (const name of ["vllm", "nodeodx"]) {
      const pod = specOf(one("rke2-core", "Deployment", name)).template.spec;
      expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
      expect(pod.containers[0].resources.requests["nvidia.com/gpu"]).toBe("1");
      expect(pod.tolerations).toContainEqual({
        key: "nvidia.com/gpu",
        operator: "Exists",
        effect: "NoSchedule",
      });
      expect(pod.nodeSelector).toEqual({ "nvidia.com/gpu.present": "true" });
    }
    const vllm = specOf(one("rke2-core", "Deployment", "vllm")).template.spec;
    const shm = vllm.volumes.find((v: any) => v.emptyDir?.medium === "Memory");
    expect(vllm.containers[0].volumeMounts).toContainEqual({ mountPath: "/dev/shm", name: shm.name });
    const models = vllm.volumes.find((v: any) => v.persistentVolumeClaim?.claimName === "vllm-models");
    expect(vllm.containers[0].volumeMounts).toContainEqual({
      mountPath: "/models",
      name: models.name,
      readOnly: true,
    });
    expect(
      one("rke2-core", "PersistentVolumeClaim", "vllm-models").manifest.metadata?.annotations,
    ).toMatchObject({
      "kustomize.toolkit.fluxcd.io/prune": "disabled",
    });
    // the model volume is filled only from the datacenter's object store
    const sync = specOf(one("rke2-core", "CronJob", "vllm-model-sync", "ai")).jobTemplate.spec.template.spec;
    expect(sync.containers[0].args).toEqual(["mirror", "--overwrite", "store/models/vllm/", "/models/"]);
    expect(sync.volumes).toContainEqual({
      name: "models",
      persistentVolumeClaim: { claimName: "vllm-models" },
    });
    const syncEgress = specOf(
      one("rke2-core", "NetworkPolicy", "vllm-model-sync-to-object-store-egress", "ai"),
    ).egress;
    expect(syncEgress).toHaveLength(1);
    expect(syncEgress[0].to[0].namespaceSelector.matchLabels).toEqual({
      "kubernetes.io/metadata.name": "object-store",
    });
    const env = Object.fromEntries(vllm.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1" });
    // a read-only root still needs a writable home and cache: vLLM compiles and caches at start
    expect(env).toMatchObject({ HOME: "/cache", VLLM_CACHE_ROOT: "/cache/vllm" });
    expect(vllm.containers[0].volumeMounts).toContainEqual({ name: "cache", mountPath: "/cache" });
    // slow model loading: the startup probe waits at least the declared 1200 s
    const startup = vllm.containers[0].startupProbe;
    expect(startup.httpGet.path).toBe("/health");
    expect(startup.failureThreshold * startup.periodSeconds).toBeGreaterThanOrEqual(1200);
  });

  it("Ollama runs on GPU nodes and pulls no models from the internet", () => {
    const values = specOf(one("rke2-core", "HelmRelease", "ollama")).values;
    expect(values.ollama.gpu).toEqual({ enabled: true, type: "nvidia", number: 1 });
    expect(values.ollama.models.pull).toEqual([]);
    expect(values.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
    expect(values.image.repository.startsWith("registry.waterschap.example/")).toBe(true);
  });
});

describe("gateways, routes and plugins", () => {
  it("every route on the public gateway is rate limited; correlation id and prometheus are global", () => {
    for (const cluster of estate.clusters) {
      for (const name of ["correlation-id", "prometheus"]) {
        expect(one(cluster.name, "KongClusterPlugin", name).manifest.metadata?.labels).toEqual({
          global: "true",
        });
      }
    }
    const publicRoutes = objects.filter(
      (o) => o.manifest.kind === "HTTPRoute" && specOf(o).parentRefs[0].name === "public",
    );
    expect(publicRoutes.length).toBeGreaterThanOrEqual(3);
    for (const route of publicRoutes) {
      const plugins = String(route.manifest.metadata?.annotations?.["konghq.com/plugins"]).split(",");
      expect(plugins, route.path).toContain("rate-limit-public");
      const plugin = one(
        route.cluster,
        "KongPlugin",
        "rate-limit-public",
        route.manifest.metadata?.namespace,
      );
      expect((plugin.manifest as any).plugin).toBe("rate-limiting");
    }
  });

  it("forwards the drone route from the public gateway through the tunnel to the internal one, with the internal host", () => {
    const forward = one("rke2-cloud", "Service", "webodm-via-rke2-core", "gateway-forwards");
    expect(specOf(forward)).toMatchObject({
      type: "ExternalName",
      externalName: "gateway.core.waterschap.example",
    });
    expect(forward.manifest.metadata?.annotations?.["konghq.com/host-header"]).toBe(
      "drone.core.waterschap.example",
    );
    const route = one("rke2-cloud", "HTTPRoute", "webodm-via-rke2-core", "gateway-forwards");
    expect(specOf(route).hostnames).toEqual(["drone.cloud.waterschap.example"]);
    expect(specOf(route).rules[0].backendRefs).toEqual([{ name: "webodm-via-rke2-core", port: 443 }]);
    const internal = one("rke2-core", "HTTPRoute", "webodm-0", "drone");
    expect(specOf(internal).hostnames).toEqual(["drone.core.waterschap.example"]);
  });
});

describe("the Druppie router", () => {
  it("gets the decision table as configuration", () => {
    const config = one("rke2-core", "ConfigMap", "druppie-router-config", "ai").manifest as any;
    const table = JSON.parse(config.data["routing.json"]);
    expect(table.unclassified).toBe("high");
    expect(table.rules).toEqual([
      { dataLevel: "high", anonymise: false, route: "internal" },
      { dataLevel: "medium", anonymise: true, route: "external", fallback: "internal" },
      { dataLevel: "low", anonymise: false, route: "external", fallback: "internal" },
    ]);
    expect(table.rules).toEqual(ROUTING_TABLE);
  });

  it("only the router and the cloud agents may reach Azure OpenAI; internal agents and models cannot", () => {
    const azure = new Set(
      estate.clusters.flatMap((c) =>
        Object.values(c.externalEndpoints)
          .filter((e) => e.host.includes("openai"))
          .map((e) => e.cidr),
      ),
    );
    const reachesAzure = objects
      .filter((o) => o.manifest.kind === "NetworkPolicy")
      .filter((o) =>
        (specOf(o).egress ?? []).some((r: any) => (r.to ?? []).some((p: any) => azure.has(p.ipBlock?.cidr))),
      )
      .map((o) => `${o.cluster}/${specOf(o).podSelector.matchLabels["app.kubernetes.io/name"]}`)
      .sort();
    expect(routesExternally(ROUTING_TABLE)).toBe(true);
    expect(reachesAzure).toEqual(["rke2-cloud/cloud-agents", "rke2-core/druppie-router"]);
  });
});

describe("data paths", () => {
  it("the PostGIS master runs on-prem; the cloud only subscribes to the anonymised publication", () => {
    const master = one("rke2-core", "Cluster", "postgis", "data");
    expect(specOf(master).imageName).toBe(
      "registry.waterschap.example/ghcr.io/cloudnative-pg/postgis:18.6-3.6.2-system-trixie",
    );
    const cloudDbs = objects.filter((o) => o.cluster === "rke2-cloud" && o.manifest.kind === "Cluster");
    expect(cloudDbs.map((o) => o.manifest.metadata?.name)).toEqual(["portal-db"]);
    for (const db of cloudDbs) {
      expect(specOf(db).replica).toBeUndefined();
      expect(specOf(db).bootstrap.pg_basebackup).toBeUndefined();
    }
    expect(specOf(one("rke2-cloud", "Subscription", "anonymised-tables", "data"))).toMatchObject({
      publicationName: "anonymised_tables",
      externalClusterName: "core-postgis",
    });
  });

  it("the object store stays on-prem and mirrors only the anonymized-training-data bucket", () => {
    const mirrors = objects.filter(
      (o) => o.manifest.kind === "CronJob" && o.manifest.metadata?.name?.startsWith("mirror-"),
    );
    expect(mirrors.map((o) => `${o.cluster}/${o.manifest.metadata?.name}`)).toEqual([
      "rke2-core/mirror-anonymized-training-data",
    ]);
    const args = specOf(mirrors[0]).jobTemplate.spec.template.spec.containers[0].args;
    expect(args.slice(-2)).toEqual(["local/anonymized-training-data", "cloud/anonymized-training-data"]);
  });
});

describe("identity and observability", () => {
  it("every cluster's API server trusts the one Keycloak, with the client and prefix the RBAC bindings use", () => {
    const realm = (one("rke2-core", "KeycloakRealmImport", "waterschap", "identity").manifest.spec as any)
      .realm;
    expect(realm.clients.map((c: any) => c.clientId)).toContain("kubernetes");
    const groups = realm.groups.map((g: any) => g.name);
    for (const cluster of estate.clusters) {
      const auth = parse(tree.get(`dist/host-config/${cluster.name}/authentication-config.yaml`) as string);
      expect(auth.jwt[0].issuer).toEqual({
        url: "https://sso.core.waterschap.example/realms/waterschap",
        audiences: ["kubernetes"],
        // The gateway serving sso.<domain> has a certificate from the organisation's CA.
        certificateAuthority: readFileSync("keys/org-ca.crt", "utf8"),
      });
      expect(auth.jwt[0].claimMappings.groups).toEqual({ claim: "groups", prefix: "oidc:" });
      for (const group of cluster.developerGroups) expect(groups).toContain(group);
    }
    const subjects = objects
      .filter((o) => o.manifest.kind === "RoleBinding")
      .flatMap((o) => (o.manifest as any).subjects);
    expect(subjects.length).toBeGreaterThan(0);
    for (const subject of subjects) expect(subject.name.startsWith("oidc:")).toBe(true);
  });

  it("log and trace agents ship to the observability home: through its gateway, or directly at home", () => {
    for (const cluster of estate.clusters.filter((c) => c.name !== "rke2-core")) {
      const values = specOf(one(cluster.name, "HelmRelease", "otel-agent", "telemetry")).values;
      expect(values.config.exporters["otlphttp/loki"].endpoint).toBe(
        "https://loki.core.waterschap.example/otlp",
      );
      expect(values.config.exporters["otlphttp/tempo"].endpoint).toBe(
        "https://tempo.core.waterschap.example",
      );
    }
    const home = specOf(one("rke2-core", "HelmRelease", "otel-agent", "telemetry")).values;
    expect(home.config.exporters["otlphttp/loki"].endpoint).toBe(
      "http://loki-gateway.observability.svc.cluster.local/otlp",
    );
    for (const host of ["loki", "tempo"]) {
      expect(specOf(one("rke2-core", "HTTPRoute", host, "observability")).hostnames).toEqual([
        `${host}.core.waterschap.example`,
      ]);
    }
  });
});

describe("rollout and health", () => {
  const deployment = (cluster: string, name: string, namespace: string) =>
    specOf(one(cluster, "Deployment", name, namespace));

  it("uses the profile per workload and environment", () => {
    expect(deployment("rke2-nonprod", "portal-api", "dev-portal").strategy).toEqual({ type: "Recreate" });
    const cautious = deployment("rke2-cloud", "portal-api", "portal");
    expect(cautious.strategy.rollingUpdate).toEqual({ maxSurge: "25%", maxUnavailable: 0 });
    expect(cautious.minReadySeconds).toBe(30);
    const paranoid = deployment("rke2-core", "meetdata-ingest", "meetdata");
    expect(paranoid.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(paranoid.minReadySeconds).toBe(300);
  });

  it("every Deployment has probes; more than one replica means a PodDisruptionBudget; cloud frontends autoscale", () => {
    for (const d of objects.filter((o) => o.manifest.kind === "Deployment")) {
      const spec = specOf(d);
      const c = spec.template.spec.containers[0];
      expect(c.readinessProbe && c.livenessProbe, d.path).toBeTruthy();
      const hpa = find(
        objects,
        d.cluster,
        "HorizontalPodAutoscaler",
        d.manifest.metadata?.name as string,
        d.manifest.metadata?.namespace,
      )[0];
      const minimum = hpa ? specOf(hpa).minReplicas : spec.replicas;
      const pdbs = find(
        objects,
        d.cluster,
        "PodDisruptionBudget",
        d.manifest.metadata?.name as string,
        d.manifest.metadata?.namespace,
      );
      expect(pdbs.length, d.path).toBe(minimum > 1 ? 1 : 0);
    }
    const hpa = specOf(one("rke2-cloud", "HorizontalPodAutoscaler", "waterpeil-portal", "portal"));
    expect(hpa).toMatchObject({
      minReplicas: 2,
      maxReplicas: 10,
      scaleTargetRef: { kind: "Deployment", name: "waterpeil-portal" },
    });
    expect(specOf(one("rke2-cloud", "Deployment", "waterpeil-portal", "portal")).replicas).toBeUndefined();
  });
});
