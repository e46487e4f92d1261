/** Layer 2: the CPU backend (the fallback), float32 out like the GPU. */
export * from './cpu-backend.ts';
