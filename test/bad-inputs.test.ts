import { Chart } from "cdk8s";
import { Secret } from "kubernetes-models/v1/Secret";
import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { EstateError } from "../lib/errors.ts";
import { type EstateSources, estateFromSources, loadSources } from "../lib/estate/load.ts";
import { Layer } from "../lib/flux/layers.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { renderFixtureEstate } from "./helpers.ts";

type Input = Record<string, any>;

/** A deep copy of the fixture's inventory as its files export it, for one case to edit. */
interface Sources {
  readonly clusters: { readonly file: string; readonly input: Input }[];
  readonly catalogue: { readonly file: string; readonly input: Input[] }[];
}

const workloads = (s: Sources): Input[] => s.catalogue.flatMap((f) => f.input);
const workload = (s: Sources, name: string): Input => {
  const found = workloads(s).find((w) => w.name === name);
  if (!found) throw new Error(`the fixture has no workload ${name}`);
  return found;
};
const cluster = (s: Sources, name: string): Input => {
  const found = s.clusters.find((c) => c.input.name === name)?.input;
  if (!found) throw new Error(`the fixture has no cluster ${name}`);
  return found;
};
const route = (s: Sources, name: string, host: string): Input =>
  workload(s, name).routes.find((r: Input) => r.host === host);

/** Each case: an edit of the inventory as written, and the message synth must give for it. */
const BAD_INPUTS: { name: string; edit: (s: Sources) => void; message: string }[] = [
  {
    name: "data-level=high placed on a cloud cluster",
    edit: (s) => (workload(s, "meetdata-ingest").deploy.prod.cluster = "rke2-cloud"),
    message:
      'clusters/catalogue/meetdata.ts: cluster "rke2-cloud": workload "meetdata-ingest": field "dataLevel": rule geo-fencing: data-level=high must stay in the datacenter',
  },
  {
    name: "an image outside the allowed registry",
    edit: (s) => (workload(s, "portal-api").image = "docker.io/library/portal-api"),
    message:
      'workload "portal-api": field "image": rule allowed-registry: image "docker.io/library/portal-api:1.7.3" is not from registry.waterschap.example',
  },
  {
    name: "an unpinned image (latest)",
    edit: (s) => (workload(s, "portal-api").deploy.prod.version = "latest"),
    message:
      'workload "portal-api": field "deploy.<stage>.version": rule pinned-image: version "latest" is not a pin',
  },
  {
    name: "a GPU workload on a cluster without GPU nodes",
    edit: (s) => (workload(s, "waterpeil-portal").gpu = 1),
    message:
      'cluster "rke2-cloud": workload "waterpeil-portal": field "gpu": rule gpu-nodes: asks for 1 GPU(s), but rke2-cloud has no GPU nodes',
  },
  {
    name: "requests above limits",
    edit: (s) =>
      (workload(s, "portal-api").resources = {
        requests: { cpu: "2", memory: "128Mi" },
        limits: { cpu: "1", memory: "256Mi" },
      }),
    message: 'workload "portal-api": field "resources": rule requests-limits: requests exceed limits for cpu',
  },
  {
    name: "a mistyped cluster name in the catalogue",
    edit: (s) => (workload(s, "portal-api").deploy.prod.cluster = "rke2-clod"),
    message:
      'clusters/catalogue/portal.ts: workload "portal-api": field "deploy.prod.cluster": rule known-cluster: cluster "rke2-clod" does not exist; did you mean "rke2-cloud"?',
  },
  {
    name: "an environment on a cluster that does not run it",
    edit: (s) => (workload(s, "portal-api").deploy.dev.cluster = "rke2-cloud"),
    message:
      'workload "portal-api": field "deploy.dev.cluster": rule otap-stage: environment "dev" does not run on cluster "rke2-cloud"',
  },
  {
    name: "a flow to a workload that does not exist",
    edit: (s) => (workload(s, "waterpeil-portal").flows[0].to = "portal-apii"),
    message:
      'workload "waterpeil-portal": field "flows.0.to": rule flow-target: workload "portal-apii" does not exist; did you mean "portal-api"?',
  },
  {
    name: "a flow across clusters",
    edit: (s) => (workload(s, "waterpeil-portal").flows[0].to = "meetdata-api"),
    message:
      'cluster "rke2-cloud": workload "waterpeil-portal": field "flows.0.to": rule otap-isolation: "meetdata-api" does not run in prod on rke2-cloud',
  },
  {
    name: "two workloads with the same name",
    edit: (s) => (workload(s, "portal-api").name = "waterpeil-portal"),
    message:
      'workload "waterpeil-portal": field "name": rule unique-names: is already defined in clusters/catalogue/portal.ts',
  },
  {
    name: "a workload name that is not a DNS label",
    edit: (s) => (workload(s, "meetdata-api").name = "Meetdata_API"),
    message:
      'clusters/catalogue/meetdata.ts: workload "Meetdata_API": field "name": must be a DNS-1035 label',
  },
  {
    name: "a data-level=high workload calling an external model",
    edit: (s) => (workload(s, "internal-agents").egress = ["azure-openai"]),
    message:
      'workload "internal-agents": field "egress": rule external-egress: data-level=high workloads may not call external endpoints',
  },
  {
    name: "a route forwarded through a cluster without a public gateway",
    edit: (s) => (workload(s, "webodm").routes[0].publishVia = "rke2-nonprod"),
    message:
      'workload "webodm": field "routes.0.publishVia": rule route-forward: "rke2-nonprod" has no public gateway',
  },
  {
    name: "developer access on a production cluster",
    edit: (s) => (cluster(s, "rke2-core").developerGroups = ["developers"]),
    message:
      'clusters/rke2-core.ts: cluster "rke2-core": field "developerGroups": rule no-human-access-in-prod',
  },
  {
    name: "an invalid DNS domain",
    edit: (s) => (cluster(s, "rke2-cloud").dns.domain = "Cloud_Gateway"),
    message: 'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "dns.domain": must be a lowercase DNS name',
  },
  {
    name: "a tunnel endpoint naming a cluster that does not exist",
    edit: (s) => {
      const endpoints = Object.values(cluster(s, "rke2-cloud").externalEndpoints) as Input[];
      for (const endpoint of endpoints.filter((e) => e.gatewayOf === "rke2-core"))
        endpoint.gatewayOf = "rke2-cor";
    },
    message:
      'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "externalEndpoints.core-gateway.gatewayOf": "rke2-cor" is not another cluster of the inventory',
  },
  {
    name: "a JWT route naming a caller that does not exist",
    edit: (s) => (route(s, "legacy-connectors", "mcp").jwt.callers = ["cloud-agent"]),
    message:
      'clusters/catalogue/operations.ts: workload "legacy-connectors": field "routes.0.jwt.callers.0": rule jwt-caller: workload "cloud-agent" does not exist; did you mean "cloud-agents"?',
  },
  {
    name: "a CA file that is not a CA certificate (the cosign public key)",
    edit: (s) => (cluster(s, "rke2-core").pki.caCertificate = "keys/cosign.crt"),
    message:
      'clusters/rke2-core.ts: cluster "rke2-core": field "pki.caCertificate": cannot read "keys/cosign.crt"',
  },
  {
    name: "a workload name the API server refuses for a Service (not a DNS-1035 label)",
    edit: (s) => (workload(s, "meetdata-ingest").name = "9-meetdata-ingest"),
    message: 'workload "9-meetdata-ingest": field "name": must be a DNS-1035 label',
  },
  {
    name: "a generated namespace longer than 63 characters",
    edit: (s) => (workload(s, "meetdata-api").group = "m".repeat(60)),
    message: `field "group": rule namespaces: gives namespace "dev-${"m".repeat(60)}" in dev, 64 characters; a namespace has at most 63`,
  },
  {
    name: "a generated CronJob name longer than 52 characters",
    edit: (s) => {
      const renamed = `vllm-${"x".repeat(40)}`;
      workload(s, "vllm").name = renamed;
      for (const flow of workloads(s).flatMap((w) => w.flows ?? []))
        if (flow.to === "vllm") flow.to = renamed;
    },
    message: `rule api-server-rules: CronJob "ai/vllm-${"x".repeat(40)}-model-sync": metadata.name`,
  },
  {
    name: "a config key the API server refuses",
    edit: (s) => {
      const router = workload(s, "druppie-router");
      router.config = { "..": router.config["routing.json"] };
    },
    message: 'workload "druppie-router": field "config...": key ".." must be a valid key',
  },
  {
    name: "an autoscaler whose minimum exceeds its maximum",
    edit: (s) => (workload(s, "waterpeil-portal").autoscale.min = 12),
    message: 'workload "waterpeil-portal": field "autoscale.min": min must not exceed max',
  },
  {
    name: "memory in thousandths of a byte",
    edit: (s) => {
      for (const { resources } of workloads(s))
        if (resources.limits.memory === "512Mi") resources.limits.memory = "512m";
    },
    message: 'field "resources.limits.memory": must be a byte quantity like 512Mi or 2Gi',
  },
  {
    name: "an image that already carries a tag",
    edit: (s) => (workload(s, "portal-api").image += ":1.8.0"),
    message: 'workload "portal-api": field "image": must not carry a tag or digest',
  },
  {
    name: "a CIDR with prefix 33",
    edit: (s) => {
      const network = cluster(s, "rke2-cloud").network;
      network.nodes = network.nodes.replace(/\/\d+$/, "/33");
    },
    message: 'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "network.nodes": must be an IPv4 CIDR',
  },
  {
    name: "a workload group named after a platform namespace",
    edit: (s) => (workload(s, "meetdata-api").group = "kong"),
    message:
      'cluster "rke2-core": workload "meetdata-api": field "group": rule namespaces: gives namespace "kong" on rke2-core, which the platform owns',
  },
  {
    name: "two routes with the same host and path on one gateway",
    edit: (s) => Object.assign(route(s, "legacy-connectors", "mcp"), { host: "meetdata", path: "/api" }),
    message: "rule unique-routes: meetdata/api on rke2-core's gateway is already routed to",
  },
  {
    name: "a route on a host the platform uses",
    edit: (s) => (route(s, "legacy-connectors", "mcp").host = "sso"),
    message: 'field "routes.0.host": rule unique-routes: "sso" is reserved for the platform',
  },
  {
    name: "a data-level=high workload published on the cloud gateway",
    edit: (s) => (workload(s, "webodm").dataLevel = "high"),
    message: "rule route-forward: data-level=high may not be published on rke2-cloud's public gateway",
  },
  {
    name: "a medium workload calling the external model without anonymising",
    edit: (s) => delete workload(s, "druppie-router").anonymises,
    message:
      'workload "druppie-router": field "egress": rule external-egress: data-level=medium may reach the external model (azure-openai) only through a workload that anonymises first',
  },
  {
    name: "a password in env",
    edit: (s) => (workload(s, "vllm").env.DB_PASSWORD = "hunter22"),
    message:
      'workload "vllm": field "env.DB_PASSWORD": rule no-credentials-in-git: is named like a credential and holds a value',
  },
  {
    name: "a password in a config file",
    edit: (s) => (workload(s, "druppie-router").config["db.ini"] = "[db]\npassword = hunter22\n"),
    message: 'field "config.db.ini": rule no-credentials-in-git: holds a credential assigned in plain text',
  },
  {
    name: "an API key in args",
    edit: (s) => workload(s, "vllm").args.unshift("--api-key=sk-live-0123456789"),
    message: 'workload "vllm": field "args.0": rule no-credentials-in-git',
  },
  {
    name: "a private key pasted into the inventory",
    edit: (s) => (cluster(s, "rke2-core").notes = "-----BEGIN PRIVATE KEY-----"),
    message: 'clusters/rke2-core.ts: field "notes": rule no-private-keys: holds a private key',
  },
  {
    name: "a platform service claimed by a non-prod cluster: the error is in that cluster's file",
    edit: (s) => (cluster(s, "rke2-nonprod").hosts = ["identity"]),
    message: 'clusters/rke2-nonprod.ts: cluster "rke2-nonprod": field "hosts": rule platform-homes',
  },
];

describe("bad input fails synth with a specific message", () => {
  let root: string;
  let sources: EstateSources;
  beforeAll(async () => {
    ({ root } = await renderFixtureEstate());
    sources = await loadSources(root);
  });

  /** What synth says of the fixture inventory with the edit made (in memory: no files, no imports). */
  async function refusal(edit: (s: Sources) => void): Promise<string> {
    const edited = structuredClone(sources) as unknown as Sources;
    edit(edited);
    try {
      await synthesize(estateFromSources(root, edited, PLATFORM_COMPONENTS), root, buildCluster);
    } catch (error) {
      if (error instanceof EstateError) return error.message;
      throw error;
    }
    throw new Error("synth accepted the edited inventory");
  }

  it("the unedited copy renders exactly what synth renders: every refusal below is the edit's", async () => {
    const unedited = structuredClone(sources) as unknown as Sources;
    const tree = await synthesize(estateFromSources(root, unedited, PLATFORM_COMPONENTS), root, buildCluster);
    expect(tree).toEqual((await renderFixtureEstate()).tree);
  });

  it.each(BAD_INPUTS)("$name", async ({ edit, message }) => {
    expect(await refusal(edit)).toContain(message);
  });

  it("a chart that renders a plaintext Secret is refused", async () => {
    const { estate, root } = await renderFixtureEstate();
    const withSecret = (
      app: Parameters<typeof buildCluster>[0],
      cluster: Parameters<typeof buildCluster>[1],
    ) => {
      buildCluster(app, cluster, estate);
      const chart = new Chart(app, "leaky", { disableResourceNameHashes: true });
      addModel(
        Layer.in(chart, "apps"),
        new Secret({
          metadata: { name: "db-password", namespace: "portal" },
          stringData: { password: "hunter2" },
        }),
      );
    };
    await expect(synthesize(estate, root, withSecret)).rejects.toThrow(
      /rule no-plaintext-secrets: Secret "portal\/db-password": is a plaintext Secret/,
    );
  });
});
