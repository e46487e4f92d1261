;; CosineDecayRestarts' fill loop in WebAssembly SIMD (f64x2: two steps per instruction).
;;
;; Assembled by scripts/gen-wasm.ts (`npm run gen`, wabt) into restarts.generated.ts; driven by
;; restart-run.ts, which hands it the steps of one period (per call) and copies the values out of
;; this module's memory once per chunk of a row.
;;
;; The same IEEE double operations, in the same order, as the JS loops geoRun and arithRun of
;; restart-fill.ts and as #kernel / #valueArith (at()): for a step s of the period
;;   a = (s - f1) + so                      the distance from the period's start (B_k),
;;   b = (nh + ((2^53 - 1) - s)) + eo       the distance to its end (B_k+1),
;; g = sin^2(pi/2 * (b / L)) where b <= a, else cos^2(pi/2 * (a / L)), and A * g + la, with
;; sin and cos on [0, pi/4] fdlibm's __kernel_sin(x, 0, 0) and __kernel_cos(x, 0) (quarter-trig.ts
;; has their JS twins; cosine.wat the same polynomials). WebAssembly has no fused multiply-add and
;; no flush to zero: each operation rounds as JS's does, so the values are those of the JS loops
;; and of at(), bit for bit. t_mul = 1 (B_k = k * D, integer D) is the same loop with f1 = k * D,
;; so = 0, nh = (k + 1) * D - 2^53 and eo = 1: then a and b are the exact integers s - k * D and
;; (k + 1) * D - s that #valueArith forms, and L = D.
;;
;; __kernel_cos's three branches are one formula here: y = (1 - qx) - ((0.5 * z - qx) - z * r)
;; with qx = 0 below 0x3FD33333_00000000 (0.29999995), where it is 1 - (0.5 * z - z * r) bit for
;; bit (x - 0 = x exactly), x / 4 truncated to the high word up to 0x3FE90000_FFFFFFFF, and
;; 0.28125 beyond; qx is chosen per lane with bitselect, so a period is one call.
;;
;; Output: steps j = 0 .. nc - 1 take the cos^2 branch (the first nc steps of the period, where
;; a < b), j = nc .. n - 1 the sin^2 branch, s = s0 + j * ds (exact integers); n values at byte
;; offset $out, as f32 (rounded once, ties to even, as a Float32Array store) when $f32 is non-zero,
;; else as f64. Each loop takes four steps per iteration (two independent pairs), so it may write
;; up to three values past its end: the caller writes those places after (or never reads them).
(module
  (memory (export "memory") 4)

  (func (export "phase_run") (param $out i32) (param $nc i32) (param $n i32) (param $s0 f64) (param $ds f64)
      (param $f1 f64) (param $so f64) (param $nh f64) (param $eo f64) (param $L f64) (param $A f64) (param $la f64) (param $f32 i32)
    (local $i i32) (local $j v128) (local $j2 v128)
    (local $s v128) (local $x v128) (local $z v128) (local $zr v128) (local $qx v128) (local $y v128) (local $v v128) (local $s2 v128) (local $x2 v128) (local $z2 v128) (local $zr2 v128) (local $qx2 v128) (local $y2 v128) (local $v2 v128)
    (local $s0v v128) (local $dsv v128) (local $f1v v128) (local $sov v128) (local $nhv v128) (local $eov v128)
    (local $Lv v128) (local $Av v128) (local $lav v128) (local $hp v128) (local $top v128) (local $small v128) (local $big v128)
    (local.set $s0v (f64x2.splat (local.get $s0)))
    (local.set $dsv (f64x2.splat (local.get $ds)))
    (local.set $f1v (f64x2.splat (local.get $f1)))
    (local.set $sov (f64x2.splat (local.get $so)))
    (local.set $nhv (f64x2.splat (local.get $nh)))
    (local.set $eov (f64x2.splat (local.get $eo)))
    (local.set $Lv (f64x2.splat (local.get $L)))
    (local.set $Av (f64x2.splat (local.get $A)))
    (local.set $lav (f64x2.splat (local.get $la)))
    ;; pi/2 as JS's Math.PI / 2; 2^53 - 1; __kernel_cos's branch points (quarter-trig.ts's COS_SMALL, COS_BIG)
    (local.set $hp (v128.const f64x2 0x1.921fb54442d18p+0 0x1.921fb54442d18p+0))
    (local.set $top (v128.const f64x2 9007199254740991 9007199254740991))
    (local.set $small (v128.const i64x2 0x3FD3333300000000 0x3FD3333300000000))
    (local.set $big (v128.const i64x2 0x3FE9000100000000 0x3FE9000100000000))
    ;; the cos^2 branch: j = 0 .. nc - 1
    (local.set $j (v128.const f64x2 0 1))
    (block $cos_done
      (loop $cos_next
        (br_if $cos_done (i32.ge_s (local.get $i) (local.get $nc)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $s (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv))))
        (local.set $x (f64x2.mul (local.get $hp)
          (f64x2.div (f64x2.add (f64x2.sub (local.get $s) (local.get $f1v)) (local.get $sov)) (local.get $Lv))))
        (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
        (local.set $zr (f64x2.mul (local.get $z) (f64x2.mul (local.get $z)
          (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09) (f64x2.mul (local.get $z) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
        (local.set $qx (v128.bitselect (v128.const f64x2 0.28125 0.28125)
          (v128.and (f64x2.ge (local.get $x) (local.get $small))
            (i64x2.sub (v128.and (local.get $x) (v128.const i64x2 0xFFFFFFFF00000000 0xFFFFFFFF00000000))
              (v128.const i64x2 0x0020000000000000 0x0020000000000000)))
          (f64x2.ge (local.get $x) (local.get $big))))
        (local.set $y (f64x2.sub
          (f64x2.sub (v128.const f64x2 1 1) (local.get $qx))
          (f64x2.sub (f64x2.sub (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z)) (local.get $qx)) (local.get $zr))))
        (local.set $v (f64x2.add (f64x2.mul (local.get $Av) (f64x2.mul (local.get $y) (local.get $y))) (local.get $lav)))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $s2 (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv))))
        (local.set $x2 (f64x2.mul (local.get $hp)
          (f64x2.div (f64x2.add (f64x2.sub (local.get $s2) (local.get $f1v)) (local.get $sov)) (local.get $Lv))))
        (local.set $z2 (f64x2.mul (local.get $x2) (local.get $x2)))
        (local.set $zr2 (f64x2.mul (local.get $z2) (f64x2.mul (local.get $z2)
          (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09) (f64x2.mul (local.get $z2) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
        (local.set $qx2 (v128.bitselect (v128.const f64x2 0.28125 0.28125)
          (v128.and (f64x2.ge (local.get $x2) (local.get $small))
            (i64x2.sub (v128.and (local.get $x2) (v128.const i64x2 0xFFFFFFFF00000000 0xFFFFFFFF00000000))
              (v128.const i64x2 0x0020000000000000 0x0020000000000000)))
          (f64x2.ge (local.get $x2) (local.get $big))))
        (local.set $y2 (f64x2.sub
          (f64x2.sub (v128.const f64x2 1 1) (local.get $qx2))
          (f64x2.sub (f64x2.sub (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z2)) (local.get $qx2)) (local.get $zr2))))
        (local.set $v2 (f64x2.add (f64x2.mul (local.get $Av) (f64x2.mul (local.get $y2) (local.get $y2))) (local.get $lav)))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $cos_next)))
    ;; the sin^2 branch: j = nc .. n - 1
    (local.set $i (local.get $nc))
    (local.set $j (f64x2.add (f64x2.splat (f64.convert_i32_s (local.get $nc))) (v128.const f64x2 0 1)))
    (block $sin_done
      (loop $sin_next
        (br_if $sin_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j2 (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $s (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j) (local.get $dsv))))
        (local.set $x (f64x2.mul (local.get $hp)
          (f64x2.div (f64x2.add (f64x2.add (local.get $nhv) (f64x2.sub (local.get $top) (local.get $s))) (local.get $eov)) (local.get $Lv))))
        (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
        (local.set $y (f64x2.add (local.get $x) (f64x2.mul (f64x2.mul (local.get $z) (local.get $x))
          (f64x2.add (v128.const f64x2 -1.66666666666666324348e-01 -1.66666666666666324348e-01) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 8.33333333332248946124e-03 8.33333333332248946124e-03) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -1.98412698298579493134e-04 -1.98412698298579493134e-04) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 2.75573137070700676789e-06 2.75573137070700676789e-06) (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 -2.50507602534068634195e-08 -2.50507602534068634195e-08) (f64x2.mul (local.get $z) (v128.const f64x2 1.58969099521155010221e-10 1.58969099521155010221e-10))))))))))))))
        (local.set $v (f64x2.add (f64x2.mul (local.get $Av) (f64x2.mul (local.get $y) (local.get $y))) (local.get $lav)))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))))
        (local.set $s2 (f64x2.add (local.get $s0v) (f64x2.mul (local.get $j2) (local.get $dsv))))
        (local.set $x2 (f64x2.mul (local.get $hp)
          (f64x2.div (f64x2.add (f64x2.add (local.get $nhv) (f64x2.sub (local.get $top) (local.get $s2))) (local.get $eov)) (local.get $Lv))))
        (local.set $z2 (f64x2.mul (local.get $x2) (local.get $x2)))
        (local.set $y2 (f64x2.add (local.get $x2) (f64x2.mul (f64x2.mul (local.get $z2) (local.get $x2))
          (f64x2.add (v128.const f64x2 -1.66666666666666324348e-01 -1.66666666666666324348e-01) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 8.33333333332248946124e-03 8.33333333332248946124e-03) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -1.98412698298579493134e-04 -1.98412698298579493134e-04) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 2.75573137070700676789e-06 2.75573137070700676789e-06) (f64x2.mul (local.get $z2) (f64x2.add (v128.const f64x2 -2.50507602534068634195e-08 -2.50507602534068634195e-08) (f64x2.mul (local.get $z2) (v128.const f64x2 1.58969099521155010221e-10 1.58969099521155010221e-10))))))))))))))
        (local.set $v2 (f64x2.add (f64x2.mul (local.get $Av) (f64x2.mul (local.get $y2) (local.get $y2))) (local.get $lav)))
        (if (local.get $f32)
          (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v2))))
          (else (v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 3))) (local.get $v2))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $sin_next)))))
