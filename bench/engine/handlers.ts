/** The benchmark's handlers: the no-op step `x => x + 1`, and the step that always fails (W4). */
import { defineAction } from "../../src/runtime/handlers.js";

export const benchHandlers = [
  defineAction<number, number>({ name: "bench.inc", run: (x) => x + 1 }),
  defineAction<number, number>({
    name: "bench.fail",
    run: (x) => {
      throw new Error(`bench.fail always fails (input ${x})`);
    },
  }),
];
