// A Sequence in a user's own kernel (docs/design.md, "Inline Sequences"): concatenate
// after SCHEDULES_WGSL, declare `lr_sequence` (a uniform or storage LrSequence, at the
// group and binding of your choice) and bind packSequence(seq).params there; then
// `lr_at(step)` is the Sequence's learning rate at `step`. The segment table holds each
// piece's begin and its scale and shift; the piece is found by a loop over at most
// LR_SEQUENCE_PIECES begins and evaluated at (step − begin) by schedule_value, then
// v · scale + shift, as the evaluator's eval_segments does (same bound:
// docs/accuracy.md#sequences). A step past the Sequence's lastStep gives NaN.
const LR_SEQUENCE_PIECES: u32 = 8u;

struct LrSequence {
  // x: the piece's begin, y: its scale (f32 bits), z: its shift (f32 bits), w: unused
  segments: array<vec4<u32>, 8>,
  // x: the number of pieces, y: lastStep, z: 1 when there is a lastStep
  info: vec4<u32>,
  pieces: array<ScheduleParams, 8>,
}

fn lr_at(step: u32) -> f32 {
  let info = lr_sequence.info;
  if (info.z != 0u && step > info.y) {
    return bitcast<f32>(info.w | 0x7fc00000u); // a quiet NaN (info.w is 0; a constant NaN is not WGSL)
  }
  var i = 0u;
  let n = min(info.x, LR_SEQUENCE_PIECES);
  for (var k = 1u; k < n; k++) {
    if (step >= lr_sequence.segments[k].x) {
      i = k;
    }
  }
  let seg = lr_sequence.segments[i];
  let v = schedule_value(lr_sequence.pieces[i], step - seg.x);
  return v * bitcast<f32>(seg.y) + bitcast<f32>(seg.z);
}
