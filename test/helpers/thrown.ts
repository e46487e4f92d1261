/** What `fn` throws, or undefined when it returns (for tests that then check the error's fields). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
