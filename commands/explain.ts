import { join } from "node:path";
import { type CommandSpec, defineCommand } from "../lib/cli/command.ts";

const EXPLAIN: CommandSpec = {
  name: "explain",
  usage: "<workload|namespace|cluster>",
  summary: `Explains what Flux will apply, from the rendered tree (dist/ with the charts and operator pods behind it):
where a workload runs per environment, its image, the policies that select it and their action there,
who may reach it and whom it may reach (from the rendered NetworkPolicies), its routes and plugins,
and why its data level puts it where it is. For a namespace: each of its workloads; for a cluster:
what it hosts and its policies.`,
  options: {},
  positionals: { min: 1, max: 1 },
  examples: [
    "npm run explain -- meetdata-api",
    "npm run explain -- dev-portal",
    "npm run explain -- rke2-cloud",
  ],
};

export const main = defineCommand(EXPLAIN, async ({ positionals }, io) => {
  const [
    { EstateError },
    { hydrate },
    { loadEstate },
    { repositoryRoot },
    { readDist },
    { explain },
    { PLATFORM_COMPONENTS },
  ] = await Promise.all([
    import("../lib/errors.ts"),
    import("../lib/hydrate/index.ts"),
    import("../lib/estate/load.ts"),
    import("../lib/paths.ts"),
    import("../lib/synth/dist-tree.ts"),
    import("../lib/explain/index.ts"),
    import("../charts/components/index.ts"),
  ]);
  try {
    const root = repositoryRoot(join(import.meta.dirname, ".."), io.cwd);
    const estate = await loadEstate(root, PLATFORM_COMPONENTS);
    const { objects } = await hydrate(root, readDist(root));
    io.log(explain({ estate, objects }, positionals[0] as string));
    return 0;
  } catch (error) {
    if (!(error instanceof EstateError) && !/is no workload/.test((error as Error).message)) throw error;
    io.error(`explain: ${(error as Error).message}`);
    return 1;
  }
});
