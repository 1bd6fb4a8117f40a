// Every elementwise kernel (unary_*, binary_*, where_*, copy_*, fill_*, zero_words) is this
// template: kernels.py fills in {{BINDINGS}} (out = binding 1, inputs = bindings 2..), {{HELPERS}} (the
// per-dtype loads and stores), {{LOADS}} and {{STORE}} (the op's expression, from kernels.py's tables).
// Entry point names: <primitive>_<op>_<dtype...>, e.g. unary_exp_float32, binary_lt_float32.
// END OF COMMENT
{{BINDINGS}}
{{HELPERS}}

@compute @workgroup_size(64)
fn {{ENTRY}}(@builtin(global_invocation_id) gid: vec3<u32>,
         @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p(0u)) { return; }
{{LOADS}}
{{STORE}}
}
