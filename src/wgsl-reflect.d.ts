// wgsl_reflect's package entry is CommonJS-in-ESM and fails under Node ESM
// ("exports is not defined"); its ES module build has the same types.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
