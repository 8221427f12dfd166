import { afterAll } from "vitest";
import { removeTempDirs } from "./temp-dirs.ts";

// A setup file: this hook runs after every test file, so no test leaves a temp dir behind.
afterAll(removeTempDirs);
