;; CosineDecay's fill loops in WebAssembly SIMD (f64x2: two steps per instruction).
;;
;; Assembled by scripts/gen-wasm.ts (`npm run gen`, wabt) into cosine.generated.ts; driven by
;; cosine-run.ts, which splits a range of steps into the segments these loops take (each
;; predicate below is monotone in the step) and copies the values out of this module's memory.
;;
;; Every loop does the same IEEE double operations, in the same order, as its JS twin in
;; cosine-run.ts, cosine-decay.ts and warmup-line.ts (WebAssembly has no fused multiply-add and
;; no flush to zero, so each operation rounds exactly as JS's does): the values are those of
;; the JS loops and of `at()`, bit for bit. sin and cos on [0, pi/4] are fdlibm's
;; __kernel_sin(x, 0, 0) and __kernel_cos(x, 0) (quarter-trig.ts has their JS twins), written
;; out inside the loops (V8 inlines no WebAssembly call; a call per pair of values costs about
;; as much as the polynomial), each branch of __kernel_cos a loop of its own (no select per value).
;;
;; Each loop takes four steps per iteration, as two independent pairs (two dependency chains
;; in flight: about 1.3x faster than one pair per iteration on V8).
;;
;; Output: n values (n rounded up to a multiple of 4: the last group may write up to three values
;; more) at byte offset $out, as f32 (rounded once, ties to even, as a Float32Array store) when $f32 is
;; non-zero, else as f64. Steps: s = s0 + j * ds for j = 0 .. n - 1 (exact integers).
(module
  (memory (export "memory") 4)

  ;; The decay from its start (d = s < D - s), x = k * s below 0x3FD33333_00000000 (0.29999995):
  ;; f * (oma * y^2 + a), y = cos x = 1 - (0.5 * z - z * r), r = z * (C1 + z * (C2 + ... + z * C6)), z = x^2.
  (func (export "cos_small_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64)
      (param $k f64) (param $f f64) (param $oma f64) (param $a f64) (param $f32 i32)
    (local $v2 v128) (local $x2 v128) (local $y2 v128) (local $z2 v128) (local $zr2 v128) (local $j2 v128)
    (local $i i32) (local $j v128) (local $x v128) (local $z v128) (local $zr v128) (local $y v128) (local $v v128)
    (local $kv v128) (local $s0v v128) (local $dsv v128) (local $fv v128) (local $omv v128) (local $av v128)
    (local.set $kv (f64x2.splat (local.get $k)))
    (local.set $s0v (f64x2.splat (local.get $s0)))
    (local.set $dsv (f64x2.splat (local.get $ds)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $omv (f64x2.splat (local.get $oma)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $j (v128.const f64x2 0 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $x (f64x2.mul (local.get $kv) (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv)))))
        (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
        (local.set $zr (f64x2.mul (local.get $z) (f64x2.mul (local.get $z)
          (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09)
          (f64x2.mul (local.get $z) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
        (local.set $y (f64x2.sub (v128.const f64x2 1 1) (f64x2.sub (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z)) (local.get $zr))))
        (local.set $v (f64x2.mul (local.get $fv)
          (f64x2.add (f64x2.mul (local.get $omv) (f64x2.mul (local.get $y) (local.get $y))) (local.get $av))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $x2 (f64x2.mul (local.get $kv) (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv)))))
        (local.set $z2 (f64x2.mul (local.get $x2) (local.get $x2)))
        (local.set $zr2 (f64x2.mul (local.get $z2) (f64x2.mul (local.get $z2)
          (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09)
          (f64x2.mul (local.get $z2) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
        (local.set $y2 (f64x2.sub (v128.const f64x2 1 1) (f64x2.sub (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z2)) (local.get $zr2))))
        (local.set $v2 (f64x2.mul (local.get $fv)
          (f64x2.add (f64x2.mul (local.get $omv) (f64x2.mul (local.get $y2) (local.get $y2))) (local.get $av))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; The same for 0x3FD33333_00000000 <= x < 0x3FE90001_00000000 (0.78125048):
  ;; y = (1 - qx) - ((0.5 * z - qx) - z * r), qx the double of high word (high word of x) - 0x00200000
  ;; and low word 0 (x / 4, truncated). (Beyond, up to pi/4, qx = 0.28125: cosine-run.ts's JS loop.)
  (func (export "cos_mid_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64)
      (param $k f64) (param $f f64) (param $oma f64) (param $a f64) (param $f32 i32)
    (local $qx2 v128) (local $v2 v128) (local $x2 v128) (local $y2 v128) (local $z2 v128) (local $zr2 v128) (local $j2 v128)
    (local $i i32) (local $j v128) (local $x v128) (local $z v128) (local $zr v128) (local $y v128) (local $v v128)
    (local $kv v128) (local $s0v v128) (local $dsv v128) (local $fv v128) (local $omv v128) (local $av v128)
    (local $qx v128)
    (local.set $kv (f64x2.splat (local.get $k)))
    (local.set $s0v (f64x2.splat (local.get $s0)))
    (local.set $dsv (f64x2.splat (local.get $ds)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $omv (f64x2.splat (local.get $oma)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $j (v128.const f64x2 0 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $x (f64x2.mul (local.get $kv) (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv)))))
        (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
        (local.set $zr (f64x2.mul (local.get $z) (f64x2.mul (local.get $z)
          (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09)
          (f64x2.mul (local.get $z) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
        (local.set $qx (i64x2.sub
          (v128.and (local.get $x) (v128.const i64x2 0xFFFFFFFF00000000 0xFFFFFFFF00000000))
          (v128.const i64x2 0x0020000000000000 0x0020000000000000)))
        (local.set $y (f64x2.sub
          (f64x2.sub (v128.const f64x2 1 1) (local.get $qx))
          (f64x2.sub (f64x2.sub (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z)) (local.get $qx)) (local.get $zr))))
        (local.set $v (f64x2.mul (local.get $fv)
          (f64x2.add (f64x2.mul (local.get $omv) (f64x2.mul (local.get $y) (local.get $y))) (local.get $av))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $x2 (f64x2.mul (local.get $kv) (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv)))))
        (local.set $z2 (f64x2.mul (local.get $x2) (local.get $x2)))
        (local.set $zr2 (f64x2.mul (local.get $z2) (f64x2.mul (local.get $z2)
          (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09)
          (f64x2.mul (local.get $z2) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
        (local.set $qx2 (i64x2.sub
          (v128.and (local.get $x2) (v128.const i64x2 0xFFFFFFFF00000000 0xFFFFFFFF00000000))
          (v128.const i64x2 0x0020000000000000 0x0020000000000000)))
        (local.set $y2 (f64x2.sub
          (f64x2.sub (v128.const f64x2 1 1) (local.get $qx2))
          (f64x2.sub (f64x2.sub (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z2)) (local.get $qx2)) (local.get $zr2))))
        (local.set $v2 (f64x2.mul (local.get $fv)
          (f64x2.add (f64x2.mul (local.get $omv) (f64x2.mul (local.get $y2) (local.get $y2))) (local.get $av))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; The decay near its end (u = D - s <= s, s < D): f * (oma * y^2 + a), y = sin(k * u) =
  ;; x + v * (S1 + z * r), z = x^2, v = z * x, r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6))).
  (func (export "sin_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64) (param $D f64)
      (param $k f64) (param $f f64) (param $oma f64) (param $a f64) (param $f32 i32)
    (local $v2 v128) (local $x2 v128) (local $y2 v128) (local $z2 v128) (local $j2 v128)
    (local $i i32) (local $j v128) (local $x v128) (local $z v128) (local $zr v128) (local $y v128) (local $v v128)
    (local $kv v128) (local $s0v v128) (local $dsv v128) (local $fv v128) (local $omv v128) (local $av v128)
    (local $Dv v128)
    (local.set $kv (f64x2.splat (local.get $k)))
    (local.set $s0v (f64x2.splat (local.get $s0)))
    (local.set $dsv (f64x2.splat (local.get $ds)))
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $omv (f64x2.splat (local.get $oma)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $j (v128.const f64x2 0 1))
    (local.set $Dv (f64x2.splat (local.get $D)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $x (f64x2.mul (local.get $kv)
          (f64x2.sub (local.get $Dv) (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv))))))
        (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
        (local.set $y (f64x2.add (local.get $x) (f64x2.mul (f64x2.mul (local.get $z) (local.get $x))
          (f64x2.add (v128.const f64x2 -1.66666666666666324348e-01 -1.66666666666666324348e-01)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 8.33333333332248946124e-03 8.33333333332248946124e-03)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -1.98412698298579493134e-04 -1.98412698298579493134e-04)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.75573137070700676789e-06 2.75573137070700676789e-06)
          (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -2.50507602534068634195e-08 -2.50507602534068634195e-08)
          (f64x2.mul (local.get $z) (v128.const f64x2 1.58969099521155010221e-10 1.58969099521155010221e-10))))))))))))))
        (local.set $v (f64x2.mul (local.get $fv)
          (f64x2.add (f64x2.mul (local.get $omv) (f64x2.mul (local.get $y) (local.get $y))) (local.get $av))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $x2 (f64x2.mul (local.get $kv)
          (f64x2.sub (local.get $Dv) (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv))))))
        (local.set $z2 (f64x2.mul (local.get $x2) (local.get $x2)))
        (local.set $y2 (f64x2.add (local.get $x2) (f64x2.mul (f64x2.mul (local.get $z2) (local.get $x2))
          (f64x2.add (v128.const f64x2 -1.66666666666666324348e-01 -1.66666666666666324348e-01)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 8.33333333332248946124e-03 8.33333333332248946124e-03)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -1.98412698298579493134e-04 -1.98412698298579493134e-04)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.75573137070700676789e-06 2.75573137070700676789e-06)
          (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -2.50507602534068634195e-08 -2.50507602534068634195e-08)
          (f64x2.mul (local.get $z2) (v128.const f64x2 1.58969099521155010221e-10 1.58969099521155010221e-10))))))))))))))
        (local.set $v2 (f64x2.mul (local.get $fv)
          (f64x2.add (f64x2.mul (local.get $omv) (f64x2.mul (local.get $y2) (local.get $y2))) (local.get $av))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; The rounding error of the product p = a * b (Dekker, splitter 2^27 + 1): exact.
  (func $prod_err (param $a v128) (param $b v128) (param $p v128) (result v128)
    (local $t v128) (local $ah v128) (local $al v128) (local $bh v128) (local $bl v128)
    (local.set $t (f64x2.mul (v128.const f64x2 134217729 134217729) (local.get $a)))
    (local.set $ah (f64x2.sub (local.get $t) (f64x2.sub (local.get $t) (local.get $a))))
    (local.set $al (f64x2.sub (local.get $a) (local.get $ah)))
    (local.set $t (f64x2.mul (v128.const f64x2 134217729 134217729) (local.get $b)))
    (local.set $bh (f64x2.sub (local.get $t) (f64x2.sub (local.get $t) (local.get $b))))
    (local.set $bl (f64x2.sub (local.get $b) (local.get $bh)))
    (f64x2.add
      (f64x2.add
        (f64x2.add
          (f64x2.sub (f64x2.mul (local.get $ah) (local.get $bh)) (local.get $p))
          (f64x2.mul (local.get $ah) (local.get $bl)))
        (f64x2.mul (local.get $al) (local.get $bh)))
      (f64x2.mul (local.get $al) (local.get $bl))))

  ;; The warmup line at 0 < s < W: warmup-line.ts's warmup(s, W, lr0, wt), operation for operation.
  (func (export "warm_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64)
      (param $W f64) (param $lr0 f64) (param $wt f64) (param $f32 i32)
    (local $ah2 v128) (local $al2 v128) (local $bb2 v128) (local $e12 v128) (local $e22 v128) (local $nh2 v128) (local $nl2 v128) (local $p12 v128) (local $p22 v128) (local $q2 v128) (local $qw2 v128) (local $s2 v128) (local $v2 v128) (local $j2 v128)
    (local $i i32) (local $j v128) (local $s v128) (local $Wv v128) (local $l v128) (local $w v128) (local $s0v v128) (local $dsv v128)
    (local $ah v128) (local $bb v128) (local $al v128) (local $p1 v128) (local $e1 v128) (local $p2 v128)
    (local $e2 v128) (local $nh v128) (local $nl v128) (local $q v128) (local $qw v128) (local $v v128)
    (local.set $j (v128.const f64x2 0 1))
    (local.set $Wv (f64x2.splat (local.get $W)))
    (local.set $l (f64x2.splat (local.get $lr0)))
    (local.set $w (f64x2.splat (local.get $wt)))
    (local.set $s0v (f64x2.splat (local.get $s0)))
    (local.set $dsv (f64x2.splat (local.get $ds)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $s (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv))))
        ;; ah + al = W - s (TwoSum)
        (local.set $ah (f64x2.sub (local.get $Wv) (local.get $s)))
        (local.set $bb (f64x2.sub (local.get $ah) (local.get $Wv)))
        (local.set $al (f64x2.add
          (f64x2.sub (local.get $Wv) (f64x2.sub (local.get $ah) (local.get $bb)))
          (f64x2.sub (f64x2.neg (local.get $s)) (local.get $bb))))
        (local.set $p1 (f64x2.mul (local.get $l) (local.get $ah)))
        (local.set $e1 (f64x2.add (call $prod_err (local.get $l) (local.get $ah) (local.get $p1)) (f64x2.mul (local.get $l) (local.get $al))))
        (local.set $p2 (f64x2.mul (local.get $w) (local.get $s)))
        (local.set $e2 (call $prod_err (local.get $w) (local.get $s) (local.get $p2)))
        ;; nh + nl = p1 + p2 + e1 + e2 (TwoSum)
        (local.set $nh (f64x2.add (local.get $p1) (local.get $p2)))
        (local.set $bb (f64x2.sub (local.get $nh) (local.get $p1)))
        (local.set $nl (f64x2.add (f64x2.add (f64x2.add
          (f64x2.sub (local.get $p1) (f64x2.sub (local.get $nh) (local.get $bb)))
          (f64x2.sub (local.get $p2) (local.get $bb)))
          (local.get $e1)) (local.get $e2)))
        ;; q + r, r = (nh - q * W - err(q * W) + nl) / W
        (local.set $q (f64x2.div (local.get $nh) (local.get $Wv)))
        (local.set $qw (f64x2.mul (local.get $q) (local.get $Wv)))
        (local.set $v
          (f64x2.add (local.get $q)
            (f64x2.div
              (f64x2.add
                (f64x2.sub (f64x2.sub (local.get $nh) (local.get $qw)) (call $prod_err (local.get $q) (local.get $Wv) (local.get $qw)))
                (local.get $nl))
              (local.get $Wv))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $s2 (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv))))
        ;; ah + al = W - s (TwoSum)
        (local.set $ah2 (f64x2.sub (local.get $Wv) (local.get $s2)))
        (local.set $bb2 (f64x2.sub (local.get $ah2) (local.get $Wv)))
        (local.set $al2 (f64x2.add
          (f64x2.sub (local.get $Wv) (f64x2.sub (local.get $ah2) (local.get $bb2)))
          (f64x2.sub (f64x2.neg (local.get $s2)) (local.get $bb2))))
        (local.set $p12 (f64x2.mul (local.get $l) (local.get $ah2)))
        (local.set $e12 (f64x2.add (call $prod_err (local.get $l) (local.get $ah2) (local.get $p12)) (f64x2.mul (local.get $l) (local.get $al2))))
        (local.set $p22 (f64x2.mul (local.get $w) (local.get $s2)))
        (local.set $e22 (call $prod_err (local.get $w) (local.get $s2) (local.get $p22)))
        ;; nh + nl = p1 + p2 + e1 + e2 (TwoSum)
        (local.set $nh2 (f64x2.add (local.get $p12) (local.get $p22)))
        (local.set $bb2 (f64x2.sub (local.get $nh2) (local.get $p12)))
        (local.set $nl2 (f64x2.add (f64x2.add (f64x2.add
          (f64x2.sub (local.get $p12) (f64x2.sub (local.get $nh2) (local.get $bb2)))
          (f64x2.sub (local.get $p22) (local.get $bb2)))
          (local.get $e12)) (local.get $e22)))
        ;; q + r, r = (nh - q * W - err(q * W) + nl) / W
        (local.set $q2 (f64x2.div (local.get $nh2) (local.get $Wv)))
        (local.set $qw2 (f64x2.mul (local.get $q2) (local.get $Wv)))
        (local.set $v2
          (f64x2.add (local.get $q2)
            (f64x2.div
              (f64x2.add
                (f64x2.sub (f64x2.sub (local.get $nh2) (local.get $qw2)) (call $prod_err (local.get $q2) (local.get $Wv) (local.get $qw2)))
                (local.get $nl2))
              (local.get $Wv))))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))))
