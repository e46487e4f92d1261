;; CosineDecay's fill loops in WebAssembly SIMD (f64x2: two steps per instruction).
;;
;; Assembled by scripts/gen-wasm.ts (`npm run gen`, wabt) into cosine.generated.ts; driven by
;; cosine-run.ts, which splits a range of steps into the segments these loops take and copies
;; the values out of this module's memory.
;;
;; Every loop does the same IEEE double operations, in the same order, as its JS twin in
;; src/schedules/cosine-decay.ts and warmup-line.ts (WebAssembly has no fused multiply-add and
;; no flush to zero, so each operation rounds exactly as JS's does): the values are those of
;; the JS loops and of `at()`, bit for bit. sin and cos on [0, pi/4] are fdlibm's
;; __kernel_sin(x, 0, 0) and __kernel_cos(x, 0) (quarter-trig.ts has their JS twins).
;;
;; Output: n values (n rounded up to even: the last pair may write one value more) at byte
;; offset $out, as f32 (rounded once, ties to even, as a Float32Array store) when $f32 is
;; non-zero, else as f64. Steps: s = s0 + j * ds for j = 0 .. n - 1 (exact integers).
(module
  (memory (export "memory") 4)

  ;; fdlibm __kernel_sin(x, 0, 0): x + v * (S1 + z * r), z = x^2, v = z * x.
  (func $sinq (param $x v128) (result v128)
    (local $z v128)
    (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
    (f64x2.add (local.get $x)
      (f64x2.mul (f64x2.mul (local.get $z) (local.get $x))
        (f64x2.add (v128.const f64x2 -1.66666666666666324348e-01 -1.66666666666666324348e-01)
          (f64x2.mul (local.get $z)
            (f64x2.add (v128.const f64x2 8.33333333332248946124e-03 8.33333333332248946124e-03)
              (f64x2.mul (local.get $z)
                (f64x2.add (v128.const f64x2 -1.98412698298579493134e-04 -1.98412698298579493134e-04)
                  (f64x2.mul (local.get $z)
                    (f64x2.add (v128.const f64x2 2.75573137070700676789e-06 2.75573137070700676789e-06)
                      (f64x2.mul (local.get $z)
                        (f64x2.add (v128.const f64x2 -2.50507602534068634195e-08 -2.50507602534068634195e-08)
                          (f64x2.mul (local.get $z) (v128.const f64x2 1.58969099521155010221e-10 1.58969099521155010221e-10))))))))))))))

  ;; fdlibm __kernel_cos(x, 0): with r = z * (C1 + z * (C2 + ... + z * C6)),
  ;; x < 0x3FD33333_00000000: 1 - (0.5 * z - z * r);
  ;; else (1 - qx) - ((0.5 * z - qx) - z * r), qx = 0.28125 for x >= 0x3FE90001_00000000, else
  ;; the double of high word (high word of x) - 0x00200000 and low word 0 (x / 4, truncated).
  (func $cosq (param $x v128) (result v128)
    (local $z v128) (local $zr v128) (local $hz v128) (local $qx v128)
    (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
    (local.set $zr (f64x2.mul (local.get $z)
      (f64x2.mul (local.get $z)
        (f64x2.add (v128.const f64x2 4.16666666666666019037e-02 4.16666666666666019037e-02)
          (f64x2.mul (local.get $z)
            (f64x2.add (v128.const f64x2 -1.38888888888741095749e-03 -1.38888888888741095749e-03)
              (f64x2.mul (local.get $z)
                (f64x2.add (v128.const f64x2 2.48015872894767294178e-05 2.48015872894767294178e-05)
                  (f64x2.mul (local.get $z)
                    (f64x2.add (v128.const f64x2 -2.75573143513906633035e-07 -2.75573143513906633035e-07)
                      (f64x2.mul (local.get $z)
                        (f64x2.add (v128.const f64x2 2.08757232129817482790e-09 2.08757232129817482790e-09)
                          (f64x2.mul (local.get $z) (v128.const f64x2 -1.13596475577881948265e-11 -1.13596475577881948265e-11))))))))))))))
    (local.set $hz (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $z)))
    (local.set $qx
      (v128.bitselect
        (v128.const f64x2 0.28125 0.28125)
        (i64x2.sub
          (v128.and (local.get $x) (v128.const i64x2 0xFFFFFFFF00000000 0xFFFFFFFF00000000))
          (v128.const i64x2 0x0020000000000000 0x0020000000000000))
        (f64x2.ge (local.get $x) (v128.const i64x2 0x3FE9000100000000 0x3FE9000100000000))))
    (v128.bitselect
      (f64x2.sub (v128.const f64x2 1 1) (f64x2.sub (local.get $hz) (local.get $zr)))
      (f64x2.sub
        (f64x2.sub (v128.const f64x2 1 1) (local.get $qx))
        (f64x2.sub (f64x2.sub (local.get $hz) (local.get $qx)) (local.get $zr)))
      (f64x2.lt (local.get $x) (v128.const i64x2 0x3FD3333300000000 0x3FD3333300000000))))

  ;; Stores the pair $v at value index $i of $out: f32 (8 bytes) or f64 (16 bytes).
  (func $store (param $out i32) (param $i i32) (param $f32 i32) (param $v v128)
    (if (local.get $f32)
      (then (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $v))))
      (else (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $v)))))

  ;; The decay from its start (d = s < D - s): f * (oma * y^2 + a), y = cos(k * s).
  (func (export "cos_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64)
      (param $k f64) (param $f f64) (param $oma f64) (param $a f64) (param $f32 i32)
    (local $i i32) (local $j v128) (local $y v128)
    (local.set $j (v128.const f64x2 0 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $y (call $cosq (f64x2.mul (f64x2.splat (local.get $k))
          (f64x2.add (f64x2.splat (local.get $s0)) (f64x2.mul (local.get $j) (f64x2.splat (local.get $ds)))))))
        (call $store (local.get $out) (local.get $i) (local.get $f32)
          (f64x2.mul (f64x2.splat (local.get $f))
            (f64x2.add (f64x2.mul (f64x2.splat (local.get $oma)) (f64x2.mul (local.get $y) (local.get $y))) (f64x2.splat (local.get $a)))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next))))

  ;; The decay near its end (u = D - s <= s, s < D): f * (oma * x^2 + a), x = sin(k * u).
  (func (export "sin_run") (param $out i32) (param $n i32) (param $s0 f64) (param $ds f64) (param $D f64)
      (param $k f64) (param $f f64) (param $oma f64) (param $a f64) (param $f32 i32)
    (local $i i32) (local $j v128) (local $x v128)
    (local.set $j (v128.const f64x2 0 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $x (call $sinq (f64x2.mul (f64x2.splat (local.get $k))
          (f64x2.sub (f64x2.splat (local.get $D))
            (f64x2.add (f64x2.splat (local.get $s0)) (f64x2.mul (local.get $j) (f64x2.splat (local.get $ds))))))))
        (call $store (local.get $out) (local.get $i) (local.get $f32)
          (f64x2.mul (f64x2.splat (local.get $f))
            (f64x2.add (f64x2.mul (f64x2.splat (local.get $oma)) (f64x2.mul (local.get $x) (local.get $x))) (f64x2.splat (local.get $a)))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
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
    (local $i i32) (local $j v128) (local $s v128) (local $Wv v128) (local $l v128) (local $w v128)
    (local $ah v128) (local $bb v128) (local $al v128) (local $p1 v128) (local $e1 v128) (local $p2 v128)
    (local $e2 v128) (local $nh v128) (local $nl v128) (local $q v128) (local $qw v128)
    (local.set $j (v128.const f64x2 0 1))
    (local.set $Wv (f64x2.splat (local.get $W)))
    (local.set $l (f64x2.splat (local.get $lr0)))
    (local.set $w (f64x2.splat (local.get $wt)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $s (f64x2.add (f64x2.splat (local.get $s0)) (f64x2.mul (local.get $j) (f64x2.splat (local.get $ds)))))
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
        (call $store (local.get $out) (local.get $i) (local.get $f32)
          (f64x2.add (local.get $q)
            (f64x2.div
              (f64x2.add
                (f64x2.sub (f64x2.sub (local.get $nh) (local.get $qw)) (call $prod_err (local.get $q) (local.get $Wv) (local.get $qw)))
                (local.get $nl))
              (local.get $Wv))))
        (local.set $j (f64x2.add (local.get $j) (v128.const f64x2 2 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))))
