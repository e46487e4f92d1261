;; PolynomialDecay's fill loop in WebAssembly SIMD (f64x2: two steps per instruction).
;;
;; Assembled by scripts/gen-wasm.ts (`npm run gen`, wabt) into poly.generated.ts; driven by
;; poly-run.ts, which hands it one stretch of steps that share the horizon H (the decay, or one
;; cycle) per call and copies the values out of this module's memory once per chunk of a row.
;;
;; The same IEEE double operations, in the same order, as fastFill in polynomial-decay.ts (and
;; valueAt) for a non-increasing schedule (A = L - E >= 0) and a power that is a multiple of 1/2
;; up to 16 (powUnit's products): for a step s of the stretch
;;   u = D - (s - base)      the distance to the horizon's end (base = 0, or q * D with cycle: s - base is s mod D),
;;   r = u / H,  y = r^e (binary powering: y = 1, then y *= b on each set bit, b *= b between), y *= sqrt(r) for a half,
;;   v = sg * (E + A * y).
;; WebAssembly has no fused multiply-add and no flush to zero, and f64x2.sqrt rounds correctly as
;; Math.sqrt does: the values are those of the JS loop and of at(), bit for bit.
;;
;; Output: n values, s = s0 + j * ds (exact integers), at byte offset $out, as f32 (rounded once,
;; ties to even) when $f32 is non-zero, else as f64; four steps per iteration (two pairs), so up to
;; three values past the end may be written: the caller writes those places after (or never reads them).
(module
  (memory (export "memory") 4)

  (func (export "poly_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64) (param $base f64)
      (param $D f64) (param $H f64) (param $A f64) (param $E f64) (param $sg f64) (param $e i32) (param $half i32) (param $f32 i32)
    (local $i i32) (local $k i32) (local $j v128) (local $j2 v128)
    (local $r v128) (local $y v128) (local $b v128) (local $v v128) (local $r2 v128) (local $y2 v128) (local $b2 v128) (local $v2 v128)
    (local $s0v v128) (local $dsv v128) (local $basev v128) (local $Dv v128) (local $Hv v128) (local $Av v128) (local $Ev v128) (local $sgv v128)
    (local.set $s0v (f64x2.splat (local.get $s0)))
    (local.set $dsv (f64x2.splat (local.get $ds)))
    (local.set $basev (f64x2.splat (local.get $base)))
    (local.set $Dv (f64x2.splat (local.get $D)))
    (local.set $Hv (f64x2.splat (local.get $H)))
    (local.set $Av (f64x2.splat (local.get $A)))
    (local.set $Ev (f64x2.splat (local.get $E)))
    (local.set $sgv (f64x2.splat (local.get $sg)))
    (local.set $j (v128.const f64x2 0 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $r (f64x2.div
          (f64x2.sub (local.get $Dv) (f64x2.sub (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv))) (local.get $basev)))
          (local.get $Hv)))
        ;; y = r^e by binary powering (powUnit's products, in its order), then y * sqrt(r) for a half
        (local.set $y (v128.const f64x2 1 1))
        (local.set $b (local.get $r))
        (local.set $k (local.get $e))
        (block $pow_done
          (loop $pow_next
            (br_if $pow_done (i32.eqz (local.get $k)))
            (if (i32.and (local.get $k) (i32.const 1)) (then (local.set $y (f64x2.mul (local.get $y) (local.get $b)))))
            (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
            (if (local.get $k) (then (local.set $b (f64x2.mul (local.get $b) (local.get $b)))))
            (br $pow_next)))
        (if (local.get $half) (then (local.set $y (f64x2.mul (local.get $y) (f64x2.sqrt (local.get $r))))))
        (local.set $v (f64x2.mul (local.get $sgv) (f64x2.add (local.get $Ev) (f64x2.mul (local.get $Av) (local.get $y)))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $r2 (f64x2.div
          (f64x2.sub (local.get $Dv) (f64x2.sub (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv))) (local.get $basev)))
          (local.get $Hv)))
        ;; y = r^e by binary powering (powUnit's products, in its order), then y * sqrt(r) for a half
        (local.set $y2 (v128.const f64x2 1 1))
        (local.set $b2 (local.get $r2))
        (local.set $k (local.get $e))
        (block $pow_done2
          (loop $pow_next2
            (br_if $pow_done2 (i32.eqz (local.get $k)))
            (if (i32.and (local.get $k) (i32.const 1)) (then (local.set $y2 (f64x2.mul (local.get $y2) (local.get $b2)))))
            (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
            (if (local.get $k) (then (local.set $b2 (f64x2.mul (local.get $b2) (local.get $b2)))))
            (br $pow_next2)))
        (if (local.get $half) (then (local.set $y2 (f64x2.mul (local.get $y2) (f64x2.sqrt (local.get $r2))))))
        (local.set $v2 (f64x2.mul (local.get $sgv) (f64x2.add (local.get $Ev) (f64x2.mul (local.get $Av) (local.get $y2)))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))))
