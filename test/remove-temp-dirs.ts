import { afterAll } from "vitest";
import { expectFixtureUnchanged } from "./helpers.ts";
import { removeTempDirs } from "./temp-dirs.ts";

// A setup file: these hooks run after every test file, so no test leaves a temp dir behind, and none
// leaves the fixture estate that the files of a worker share changed.
afterAll(removeTempDirs);
afterAll(expectFixtureUnchanged);
