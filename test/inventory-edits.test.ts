import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { EstateError } from "../lib/errors.ts";
import { loadEstate } from "../lib/estate/load.ts";
import { type ClusterSource, validateEstate } from "../lib/estate/validate.ts";
import { REPO, runCommand, sandbox } from "./helpers.ts";

/** The inventory's sources as objects, edited per case (no text replacement in clusters/). */
let clusters: ClusterSource[];
let catalogue: ClusterSource[];
beforeAll(async () => {
  const root = sandbox();
  const index = await import(join(root, "clusters/index.ts"));
  const load = (dir: string) => async (name: string) => ({
    file: `clusters/${name}`,
    input: (await import(join(root, dir, name))).default,
  });
  clusters = await Promise.all(index.clusterFiles.map(load("clusters")));
  catalogue = await Promise.all(index.catalogueFiles.map(load("clusters")));
});

/** The problems validating the inventory gives after `edit` changed a copy of it. */
function problemsAfter(
  edit: (clusters: Record<string, any>, workloads: Record<string, any>[], add: (w: object) => void) => void,
): string[] {
  const own = clusters.map((c) => ({ ...c, input: structuredClone(c.input) }));
  const workloads = catalogue.map((c) => ({ ...c, input: structuredClone(c.input) }));
  const byName = Object.fromEntries(own.map((c) => [(c.input as { name: string }).name, c.input]));
  const add = (w: object) => ((workloads[0] as ClusterSource).input as object[]).push(w);
  edit(
    byName,
    workloads.flatMap((w) => w.input as Record<string, any>[]),
    add,
  );
  try {
    validateEstate(own, workloads, (path) => readFileSync(join(REPO, path), "utf8"), PLATFORM_COMPONENTS);
    return [];
  } catch (error) {
    if (!(error instanceof EstateError)) throw error;
    return error.problems.map((p) => `${p.workload ?? p.cluster ?? ""}: ${p.field}: ${p.message}`);
  }
}
const problemsOf = (problems: string[], rule: string) => problems.filter((p) => p.includes(rule));
const workload = (all: Record<string, any>[], name: string) =>
  all.find((w) => w.name === name) as Record<string, any>;

describe("a route the public gateway forwards into the datacenter", () => {
  it("names who may call it, with a token", () => {
    const problems = problemsAfter((_c, w) => {
      delete workload(w, "webodm").routes[0].jwt;
    });
    expect(problems).toEqual([
      "webodm: routes.0.publishVia: rke2-cloud's public gateway would forward the internet into rke2-core with only a rate limit; name who may call (jwt.publicClients for people and their tools, jwt.callers for workloads)",
    ]);
    expect(
      problemsAfter((_c, w) => {
        workload(w, "webodm").routes[0].jwt = {};
      }),
    ).toEqual(["webodm: routes.0.jwt: name callers, publicClients or both"]);
    expect(
      problemsAfter((_c, w) => {
        workload(w, "webodm").routes[0].jwt = { publicClients: ["cloud-agents"] };
      }),
    ).toEqual([
      `webodm: routes.0.jwt.publicClients.0: "cloud-agents" is a workload's own client; a public client needs a name of its own`,
    ]);
  });
});

describe("autoscaled node pools", () => {
  it("are Azure scale sets with min <= max, each once, and the Resource Manager endpoint declared", () => {
    expect(
      problemsAfter((c) => {
        c["rke2-nonprod"].autoscaling = structuredClone(c["rke2-cloud"].autoscaling);
        c["rke2-cloud"].autoscaling.pools.push({ name: "vmss-rke2-cloud-workers", min: 5, max: 3 });
        delete c["rke2-cloud"].externalEndpoints["azure-resource-manager"];
      }),
    ).toEqual([
      "rke2-cloud: autoscaling.pools.1: min 5 is above max 3",
      'rke2-cloud: autoscaling.pools.1.name: "vmss-rke2-cloud-workers" is listed twice',
      "rke2-cloud: autoscaling: the autoscaler calls Azure Resource Manager: declare its private endpoint (externalEndpoints, kind cloud-api)",
      'rke2-nonprod: autoscaling: scales Azure scale sets, but the cluster\'s provider is "datacenter"',
      "rke2-nonprod: autoscaling: the autoscaler calls Azure Resource Manager: declare its private endpoint (externalEndpoints, kind cloud-api)",
    ]);
  });
});

describe("external endpoints are judged by what they are, at their address", () => {
  it("the default inventory passes", () => {
    expect(problemsAfter(() => {})).toEqual([]);
  });

  it("a second name for Azure OpenAI's address does not open it to medium data", () => {
    const problems = problemsAfter((c, w) => {
      c["rke2-core"].externalEndpoints["openai-alias"] = {
        host: "alias.waterschap.example",
        cidr: "10.40.8.0/29",
        port: 443,
        kind: "object-store",
        maxDataLevel: "medium",
      };
      workload(w, "webodm").egress = ["openai-alias"];
    });
    expect(problems).toEqual([
      "webodm: egress: data-level=medium may reach the external model (openai-alias (its address is shared with rke2-cloud/azure-openai, rke2-core/azure-openai)) only through a workload that anonymises first (anonymises: true, the router)",
    ]);
  });

  it("an endpoint takes no data above its maxDataLevel", () => {
    const problems = problemsAfter((_c, w) => {
      workload(w, "webodm").egress = ["cloud-object-store"];
    });
    expect(problems).toEqual([
      "webodm: egress: data-level=medium may not reach cloud-object-store, which takes at most low data",
    ]);
  });

  it("every endpoint says what it is and what it may receive", () => {
    const problems = problemsAfter((c) => {
      delete c["rke2-core"].externalEndpoints["backup-store"].kind;
    });
    expect(problems.join("\n")).toContain("externalEndpoints.backup-store.kind");
  });

  it("an Azure cluster cannot call itself on-prem", () => {
    const problems = problemsAfter((c) => {
      c["rke2-cloud"].location = "on-prem";
    });
    expect(problems).toContain('rke2-cloud: provider: "azure" contradicts location "on-prem"');
  });
});

describe("data sovereignty over the whole estate, across every hop", () => {
  const sovereignty = (edit: Parameters<typeof problemsAfter>[0]) =>
    problemsAfter(edit).filter((p) => p.includes("data would reach"));

  it("refuses high data that two hops carry to the external model", () => {
    const problems = sovereignty((_c, w, add) => {
      add({
        ...structuredClone(workload(w, "cloud-agents")),
        name: "summariser",
        description: "summarises reports with the external model",
        group: "ai",
        routes: [],
        egress: ["azure-openai"],
        deploy: { prod: { cluster: "rke2-core", version: "1.0.0" } },
      });
      workload(w, "internal-agents").flows.push({ to: "summariser" });
    });
    expect(problems).toEqual([
      "summariser: egress: high data would reach azure-openai, an external language model (medium only through a workload that anonymises): internal-agents (high) -> summariser -> azure-openai",
    ]);
  });

  it("refuses a medium workload published through the cloud gateway when high data flows to it", () => {
    const problems = sovereignty((_c, w) => {
      workload(w, "meetdata-api").routes.push({
        host: "open-data",
        path: "/",
        publishVia: "rke2-cloud",
        jwt: { publicClients: ["open-data-readers"] },
      });
    });
    expect(problems).toEqual([
      "meetdata-api: routes.1: high data would reach rke2-cloud public gateway, in the cloud, which gets only anonymised data from the datacenter: meetdata-ingest (high) -> meetdata-api -> rke2-cloud public gateway",
    ]);
  });

  it("refuses answers from the datacenter to a cloud caller without a declared anonymising step", () => {
    const problems = sovereignty((_c, w) => {
      delete workload(w, "legacy-connectors").routes[0].returns;
    });
    expect(problems).toEqual([
      "legacy-connectors: routes.0: high data would reach cloud-agents on rke2-cloud, in the cloud, which gets only anonymised data from the datacenter: legacy-connectors (high) -> cloud-agents on rke2-cloud",
    ]);
  });

  it("lets only a workload that anonymises call the language model with what it holds", () => {
    expect(sovereignty(() => {})).toEqual([]);
    // a low router that does not anonymise passes the one-hop rule, but holds what the agents answer
    const problems = sovereignty((_c, w) => {
      Object.assign(workload(w, "druppie-router"), { anonymises: false, dataLevel: "low" });
    });
    expect(problemsOf(problems, "druppie-router")).toEqual([
      "druppie-router: egress: high data would reach azure-openai, an external language model (medium only through a workload that anonymises): vllm (high) -> druppie-router -> azure-openai",
    ]);
  });
});

describe("placement rules on edited inventory objects", () => {
  it("a workload with its own ReadWriteOnce volume runs one replica", () => {
    const problems = problemsAfter((_c, w) => {
      workload(w, "webodm").replicas = 3;
    });
    expect(problems).toContain(
      "webodm: storage: a ReadWriteOnce volume attaches to one node: 3 replicas would leave pods on other nodes waiting for ever; use replicas: 1",
    );
  });
});

describe("an inventory that does not load", () => {
  it("a syntax error in clusters/index.ts is named with its line, not thrown as a stack trace", async () => {
    const root = sandbox();
    try {
      const index = join(root, "clusters/index.ts");
      writeFileSync(index, `${readFileSync(index, "utf8")}\nconst = ;\n`);
      await expect(loadEstate(root, PLATFORM_COMPONENTS)).rejects.toThrow(EstateError);
      await expect(loadEstate(root, PLATFORM_COMPONENTS)).rejects.toThrow(
        /^clusters\/index\.ts(:\d+)?: cannot be loaded: /,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("a catalogue file that never finishes loading", () => {
  it("is named after the time limit instead of hanging synth in silence", () => {
    const root = sandbox();
    try {
      writeFileSync(
        join(root, "clusters/catalogue/portal.ts"),
        "await new Promise(() => {});\nexport default [];\n",
      );
      const run = runCommand("main.ts", [], root, { ESTATE_LOAD_LIMIT_MS: "300" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        "clusters/catalogue/portal.ts: cannot be loaded: did not finish loading within 0.3 s (a top-level await that never settles?)",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("is named by the watchdog when it blocks the process, and dist/ is untouched", () => {
    const root = sandbox();
    try {
      const before = readdirSync(root).sort();
      writeFileSync(join(root, "clusters/catalogue/portal.ts"), "while (true) {}\nexport default [];\n");
      const run = runCommand("main.ts", [], root, { ESTATE_LOAD_LIMIT_MS: "300" });
      expect(run.status === 0).toBe(false);
      expect(run.stderr).toContain(
        "clusters/catalogue/portal.ts: cannot be loaded: did not finish loading within 1.3 s and blocks the process",
      );
      expect(readdirSync(root).sort()).toEqual(before); // no dist/, no lock, nothing half-written
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
