// How long activation takes, said in the extension's log so it can be watched (issue #27: under
// 50 ms in a workspace without runs): evaluating the bundle's code, from this module (activate.ts
// imports it first, so it is the first of the bundle's modules to run) to the end of activate.ts's
// own top level, then the activate() call. What VS Code does between the two is not counted. CPU
// time is counted beside wall time: what the activation cost, whatever else the machine was doing.

interface Clock {
  wall: number;
  cpu: NodeJS.CpuUsage;
}

const now = (): Clock => ({ wall: performance.now(), cpu: process.cpuUsage() });
const cpuMs = (from: Clock, to: Clock) => (to.cpu.user - from.cpu.user + to.cpu.system - from.cpu.system) / 1000;

const codeStarted = now();
let codeEvaluated: Clock | undefined;

/** Called by activate.ts's top level, after every module it imports has been evaluated. */
export function markCodeEvaluated(): void {
  codeEvaluated ??= now();
}

export interface ActivationTime {
  /** Evaluating the extension's modules. */
  code: number;
  /** The activate() call. */
  activate: number;
  /** CPU time of the process over both. */
  cpu: number;
}

/** The times of an activation whose activate() was called at `called` (a `startActivation()`) and returns now. */
export function activationTime(called: Clock): ActivationTime {
  const end = now();
  const evaluated = codeEvaluated ?? codeStarted;
  return { code: evaluated.wall - codeStarted.wall, activate: end.wall - called.wall, cpu: cpuMs(codeStarted, evaluated) + cpuMs(called, end) };
}

/** When activate() was called. */
export const startActivation = now;

/** One line for the log: `activated in 23 ms (code 15 ms, activate() 8 ms; CPU 20 ms)`. */
export function activationLine(time: ActivationTime): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  return `activated in ${ms(time.code + time.activate)} (code ${ms(time.code)}, activate() ${ms(time.activate)}; CPU ${ms(time.cpu)})`;
}
