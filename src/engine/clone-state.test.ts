import { describe, expect, it } from "vitest";
import { cloneState } from "./clone-state.js";

describe("cloneState", () => {
  it("copies plain JSON data deeply, as structuredClone does", () => {
    const state = { a: [1, { b: "x", c: null, d: undefined }], e: { f: true, g: 2.5 } };
    const copy = cloneState(state);
    expect(copy).toStrictEqual(structuredClone(state));
    copy.a.push(2);
    (copy.e as { f: boolean }).f = false;
    expect(state).toEqual({ a: [1, { b: "x", c: null, d: undefined }], e: { f: true, g: 2.5 } });
  });

  it("keeps an own __proto__ key of parsed data as data, without touching the prototype", () => {
    const parsed = JSON.parse('{"output":{"__proto__":{"polluted":true}}}') as { output: object };
    const copy = cloneState(parsed);
    expect(Object.getPrototypeOf(copy.output)).toBe(Object.prototype);
    expect(Object.keys(copy.output)).toEqual(["__proto__"]);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
