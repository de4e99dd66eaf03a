/** Time, injected: tests drive it by hand, production uses the system clock. */
export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): { stop(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval(fn, ms) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  },
};
