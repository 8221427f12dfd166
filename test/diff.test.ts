import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main as diffMain } from "../commands/diff.ts";
import { diffSides, sideAtRef, type TreeSide } from "../lib/diff/compare.ts";
import { listTreeAtRef, readBlobs } from "../lib/diff/git.ts";
import { diffTrees } from "../lib/diff/index.ts";
import { renderMarkdown, renderText } from "../lib/diff/report.ts";
import { renderFixtureEstate, runMain } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();

/** A real repository whose `main` holds the default rendered tree; each case branches off it. */
beforeAll(async () => {
  const { tree } = await renderFixtureEstate();
  repo = tempDir("diff-repo-");
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@waterschap.example");
  git("config", "user.name", "ci");
  for (const [path, content] of tree) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  git("add", "-A");
  git("commit", "-q", "-m", "base");
});

function branch(name: string, edit: () => void): string {
  git("checkout", "-q", "-B", name, "main");
  edit();
  git("add", "-A");
  git("commit", "-q", "-m", name);
  git("checkout", "-q", "main");
  return name;
}

const file = (path: string) => join(repo, path);
function editYaml(path: string, change: (doc: any) => void): void {
  const doc = parse(readFileSync(file(path), "utf8"));
  change(doc);
  writeFileSync(file(path), stringify(doc));
}
/** As `npm run diff -- --base main --head <ref>` compares them: only the files whose blobs differ are read. */
const diffOf = (ref: string) => diffSides(repo, sideAtRef(repo, "main"), sideAtRef(repo, ref));

describe("the rendered diff between two git refs", () => {
  it("deleting a PVC: grouped per cluster and Kustomization, counted, flagged as stateful deletion", async () => {
    const ref = branch("delete-pvc", () =>
      rmSync(file("dist/clusters/rke2-core/apps/ai/persistentvolumeclaim-vllm-models.yaml")),
    );
    const diff = await diffOf(ref);
    expect(diff.clusters).toEqual([{ cluster: "rke2-core", added: 0, changed: 0, removed: 1 }]);
    const [change] = diff.changes;
    expect(change?.before).toMatchObject({
      kustomization: "apps",
      kind: "PersistentVolumeClaim",
      namespace: "ai",
      name: "vllm-models",
    });
    expect(diff.risks).toContainEqual(
      expect.objectContaining({
        severity: "critical",
        rule: "deletion",
        cluster: "rke2-core",
        object: "v1 PersistentVolumeClaim ai/vllm-models",
      }),
    );
    expect(renderText(diff)).toContain(
      "=== cluster rke2-core\n--- Kustomization apps\n- v1 PersistentVolumeClaim ai/vllm-models",
    );
  });

  it("flipping Deny to Audit is policy weakening", async () => {
    const ref = branch("audit", () =>
      editYaml("dist/clusters/rke2-cloud/configs/validatingpolicy-restrict-image-registry.yaml", (d) => {
        d.spec.validationActions = ["Audit"];
      }),
    );
    const diff = await diffOf(ref);
    expect(diff.changes[0]?.fields).toEqual([
      { path: "spec.validationActions[0]", change: "changed", before: "Deny", after: "Audit" },
    ]);
    expect(diff.risks).toContainEqual(
      expect.objectContaining({
        rule: "policy-weakening",
        severity: "critical",
        object: "policies.kyverno.io/v1 ValidatingPolicy restrict-image-registry",
      }),
    );
  });

  it("a new route on the public gateway is new public exposure; dropping its rate limit is flagged too", async () => {
    const ref = branch("public-route", () => {
      const dir = "dist/clusters/rke2-cloud/apps/portal";
      editYaml(`${dir}/httproute-waterpeil-portal-0.yaml`, (d) => {
        d.metadata.annotations["konghq.com/plugins"] = "";
      });
      const route = parse(readFileSync(file(`${dir}/httproute-waterpeil-portal-0.yaml`), "utf8"));
      route.metadata.name = "admin";
      route.spec.hostnames = ["admin.cloud.waterschap.example"];
      writeFileSync(file(`${dir}/httproute-admin.yaml`), stringify(route));
    });
    const risks = (await diffOf(ref)).risks;
    expect(risks).toContainEqual(
      expect.objectContaining({
        rule: "public-exposure",
        message: 'new public route ["admin.cloud.waterschap.example"]',
      }),
    );
    expect(risks).toContainEqual(
      expect.objectContaining({
        rule: "public-exposure",
        severity: "critical",
        message: "route loses rate-limit-public",
      }),
    );
  });

  it("changing a selector is an immutable-field change", async () => {
    const ref = branch("selector", () =>
      editYaml("dist/clusters/rke2-cloud/apps/portal/deployment-portal-api.yaml", (d) => {
        d.spec.selector.matchLabels.tier = "backend";
      }),
    );
    expect((await diffOf(ref)).risks).toContainEqual(
      expect.objectContaining({ rule: "immutable-field", object: "apps/v1 Deployment portal/portal-api" }),
    );
  });

  it("moving a high-data workload to another cluster is flagged, and so is its data-level change", async () => {
    const ref = branch("move", () => {
      const from = "dist/clusters/rke2-core/apps/meetdata/deployment-meetdata-ingest.yaml";
      const doc = parse(readFileSync(file(from), "utf8"));
      rmSync(file(from));
      doc.spec.template.metadata.labels["data-level"] = "medium";
      mkdirSync(file("dist/clusters/rke2-cloud/apps/meetdata"), { recursive: true });
      writeFileSync(
        file("dist/clusters/rke2-cloud/apps/meetdata/deployment-meetdata-ingest.yaml"),
        stringify(doc),
      );
      editYaml("dist/clusters/rke2-core/apps/meetdata/service-meetdata-ingest.yaml", (d) => {
        d.metadata.labels["data-level"] = "medium";
      });
    });
    const diff = await diffOf(ref);
    expect(diff.clusters).toEqual([
      { cluster: "rke2-cloud", added: 1, changed: 0, removed: 0 },
      { cluster: "rke2-core", added: 0, changed: 1, removed: 1 },
    ]);
    expect(diff.risks).toContainEqual(
      expect.objectContaining({ rule: "cluster-move", message: "moves from rke2-core to rke2-cloud" }),
    );
    expect(diff.risks).toContainEqual(
      expect.objectContaining({ rule: "data-level", message: "data-level high -> medium" }),
    );
  });

  it("diffs multi-line strings by line, and flags image changes", async () => {
    const ref = branch("config", () => {
      editYaml("dist/clusters/rke2-core/apps/ai/configmap-druppie-router-config.yaml", (d) => {
        d.data["routing.json"] = d.data["routing.json"].replace(
          '"unclassified": "high"',
          '"unclassified": "low"',
        );
      });
      editYaml("dist/clusters/rke2-core/apps/ai/deployment-vllm.yaml", (d) => {
        d.spec.template.spec.containers[0].image = d.spec.template.spec.containers[0].image.replace(
          "v0.11.2",
          "v0.12.0",
        );
      });
    });
    const diff = await diffOf(ref);
    const config = diff.changes.find((c) => c.after?.kind === "ConfigMap");
    expect(config?.fields[0]?.path).toBe('data["routing.json"]');
    expect(config?.fields[0]?.lines).toContain('-  "unclassified": "high",');
    expect(config?.fields[0]?.lines).toContain('+  "unclassified": "low",');
    expect(diff.risks).toContainEqual(
      expect.objectContaining({
        rule: "image",
        message: expect.stringContaining("-> registry.waterschap.example/docker.io/vllm/vllm-openai:v0.12.0"),
      }),
    );
  });

  it("markdown fits a PR comment: collapsible sections, and a cap that keeps summary and risks", async () => {
    const diff = await diffOf("delete-pvc");
    const full = renderMarkdown(diff);
    expect(full).toContain("<details><summary><b>rke2-core</b></summary>");
    expect(full).toContain("| `rke2-core` | 0 | 0 | 1 |");
    const capped = renderMarkdown(await diffOf("move"), 900);
    expect(capped).toContain("#### ⚠️ Risks");
    expect(capped).toContain("cluster-move");
    expect(capped).toMatch(/the details of \d+ object\(s\) were left out/);
    expect(capped.length).toBeLessThan(2000);
  });

  it("reads only the files whose blobs differ, and finds exactly what comparing whole trees finds", async () => {
    const path = "dist/clusters/rke2-cloud/apps/portal/deployment-portal-api.yaml";
    const ref = branch("replicas", () =>
      editYaml(path, (d) => {
        d.spec.replicas = 3;
      }),
    );
    const read: string[] = [];
    const recorded = (side: TreeSide): TreeSide => ({
      ids: side.ids,
      read: (paths) => {
        read.push(...paths);
        return side.read(paths);
      },
    });
    const diff = await diffSides(repo, recorded(sideAtRef(repo, "main")), recorded(sideAtRef(repo, ref)));
    expect(read).toEqual([path, path]);
    const wholeTree = (at: string) => {
      const listing = listTreeAtRef(repo, at);
      const contents = readBlobs(repo, [...listing.values()]);
      return new Map([...listing.keys()].map((path, i) => [path, contents[i] as string]));
    };
    expect(diff).toEqual(diffTrees(wholeTree("main"), wholeTree(ref)));
    expect(diff.changes.map((c) => c.fields)).toEqual([
      [{ path: "spec.replicas", change: "changed", before: 2, after: 3 }],
    ]);
  });

  it("npm run diff exits 0 with 'no changes', 1 on changes, 2 on errors", async () => {
    const cli = (...args: string[]) => runMain(diffMain, args, repo);
    const same = await cli("--base", "main", "--head", "main");
    expect([same.status, same.stdout]).toEqual([0, "no changes\n"]);
    const changed = await cli("--base", "main", "--head", "audit", "--format", "markdown");
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain("policy-weakening");
    const broken = await cli("--base", "no-such-ref");
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain("diff failed");
  });
});
