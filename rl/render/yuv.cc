#include "rl/render/yuv.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "rl/core/frame.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace rl {
namespace {

constexpr double kKr = 0.2126;
constexpr double kKb = 0.0722;
constexpr double kKg = 1 - kKr - kKb;
constexpr double kLuma = 219.0 / 255;    // Y spans 16..235.
constexpr double kChroma = 224.0 / 255;  // U and V span 16..240.
constexpr double kU = 1 / (2 * (1 - kKb));
constexpr double kV = 1 / (2 * (1 - kKr));

// 1.15 fixed point, rounded to nearest: small enough for SSE2's 16-bit
// multiply-add, and within 1/65536 of the exact coefficient.
constexpr int kShift = 15;
constexpr int16_t Fixed(double value) {
  return static_cast<int16_t>(value * (1 << kShift) + (value < 0 ? -0.5 : 0.5));
}
constexpr int16_t kYr = Fixed(kKr * kLuma);
constexpr int16_t kYg = Fixed(kKg * kLuma);
constexpr int16_t kYb = Fixed(kKb * kLuma);
constexpr int16_t kUr = Fixed(-kKr * kU * kChroma);
constexpr int16_t kUg = Fixed(-kKg * kU * kChroma);
constexpr int16_t kUb = Fixed(0.5 * kChroma);
constexpr int16_t kVr = Fixed(0.5 * kChroma);
constexpr int16_t kVg = Fixed(-kKg * kV * kChroma);
constexpr int16_t kVb = Fixed(-kKb * kV * kChroma);
// Offsets and rounding folded in. Chroma sums four pixels, so it is shifted
// by two more bits.
constexpr int32_t kYBias = (16 << kShift) + (1 << (kShift - 1));
constexpr int32_t kCBias = (128 << (kShift + 2)) + (1 << (kShift + 1));

inline uint8_t Luma(const uint8_t* p) {
  return static_cast<uint8_t>((kYr * p[0] + kYg * p[1] + kYb * p[2] + kYBias) >>
                              kShift);
}

// U and V of one 2x2 block from the sums of its four pixels' R, G and B.
inline void Chroma(int32_t r, int32_t g, int32_t b, uint8_t* u, uint8_t* v) {
  *u = static_cast<uint8_t>((kUr * r + kUg * g + kUb * b + kCBias) >>
                            (kShift + 2));
  *v = static_cast<uint8_t>((kVr * r + kVg * g + kVb * b + kCBias) >>
                            (kShift + 2));
}

#ifdef __SSE2__
// Lanes 0 and 2 of madd(x, coefficients) summed with lanes 1 and 3: the dot
// products of two RGBA pixels (16-bit lanes) with (c_r, c_g, c_b, 0).
inline __m128i Dot2(__m128i pixels, __m128i coefficients) {
  const __m128i products = _mm_madd_epi16(pixels, coefficients);
  return _mm_add_epi32(products, _mm_srli_epi64(products, 32));
}

// Four int32 results from lanes 0 and 2 of `a` and of `b`.
inline __m128i Gather02(__m128i a, __m128i b) {
  return _mm_unpacklo_epi64(_mm_shuffle_epi32(a, _MM_SHUFFLE(3, 1, 2, 0)),
                            _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 1, 2, 0)));
}

inline void Store4(uint8_t* out, __m128i values) {
  const __m128i packed =
      _mm_packus_epi16(_mm_packs_epi32(values, values), values);
  const int32_t word = _mm_cvtsi128_si32(packed);
  std::memcpy(out, &word, 4);
}
#endif

}  // namespace

const double kRgbToYuv709[3][4] = {
    {kKr * kLuma, kKg* kLuma, kKb* kLuma, 16.0 / 255},
    {-kKr * kU * kChroma, -kKg* kU* kChroma, 0.5 * kChroma, 128.0 / 255},
    {0.5 * kChroma, -kKg* kV* kChroma, -kKb* kV* kChroma, 128.0 / 255},
};

void RgbaToYuv420p(const uint8_t* rgba, int width, int height, Frame* frame) {
  RgbaToYuv420p(rgba, static_cast<ptrdiff_t>(width) * 4, width, height, frame);
}

void RgbaToYuv420p(const uint8_t* rgba, ptrdiff_t stride, int width, int height,
                   Frame* frame) {
  uint8_t* y_plane = frame->plane(0);
  for (int row = 0; row < height; ++row) {
    const uint8_t* in = rgba + row * stride;
    uint8_t* out = y_plane + static_cast<size_t>(row) * width;
    int x = 0;
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    const __m128i coefficients =
        _mm_setr_epi16(kYr, kYg, kYb, 0, kYr, kYg, kYb, 0);
    const __m128i bias = _mm_set1_epi32(kYBias);
    for (; x + 4 <= width; x += 4) {
      const __m128i pixels =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 4 * x));
      const __m128i low = Dot2(_mm_unpacklo_epi8(pixels, zero), coefficients);
      const __m128i high = Dot2(_mm_unpackhi_epi8(pixels, zero), coefficients);
      const __m128i luma =
          _mm_srai_epi32(_mm_add_epi32(Gather02(low, high), bias), kShift);
      Store4(out + x, luma);
    }
#endif
    for (; x < width; ++x) out[x] = Luma(in + 4 * x);
  }

  const int chroma_width = (width + 1) / 2;
  const int chroma_height = (height + 1) / 2;
  uint8_t* u_plane = frame->plane(1);
  uint8_t* v_plane = frame->plane(2);
  for (int row = 0; row < chroma_height; ++row) {
    const uint8_t* top = rgba + static_cast<ptrdiff_t>(2 * row) * stride;
    // An odd last row pairs with itself.
    const uint8_t* bottom = 2 * row + 1 < height ? top + stride : top;
    uint8_t* u = u_plane + static_cast<size_t>(row) * chroma_width;
    uint8_t* v = v_plane + static_cast<size_t>(row) * chroma_width;
    int x = 0;  // Chroma column.
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    const __m128i u_coefficients =
        _mm_setr_epi16(kUr, kUg, kUb, 0, kUr, kUg, kUb, 0);
    const __m128i v_coefficients =
        _mm_setr_epi16(kVr, kVg, kVb, 0, kVr, kVg, kVb, 0);
    const __m128i bias = _mm_set1_epi32(kCBias);
    // Four blocks (eight pixels of each row) at a time.
    for (; 2 * x + 8 <= width; x += 4) {
      __m128i sums[2];  // Blocks 0-1 and 2-3, RGBA sums as 16-bit lanes.
      for (int half = 0; half < 2; ++half) {
        const size_t offset = 8 * x + 16 * half;
        const __m128i t =
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(top + offset));
        const __m128i b =
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(bottom + offset));
        const __m128i low = _mm_add_epi16(_mm_unpacklo_epi8(t, zero),
                                          _mm_unpacklo_epi8(b, zero));
        const __m128i high = _mm_add_epi16(_mm_unpackhi_epi8(t, zero),
                                           _mm_unpackhi_epi8(b, zero));
        // Left pixel + right pixel of each block.
        const __m128i block0 = _mm_add_epi16(low, _mm_srli_si128(low, 8));
        const __m128i block1 = _mm_add_epi16(high, _mm_srli_si128(high, 8));
        sums[half] = _mm_unpacklo_epi64(block0, block1);
      }
      const __m128i u4 = Gather02(Dot2(sums[0], u_coefficients),
                                  Dot2(sums[1], u_coefficients));
      const __m128i v4 = Gather02(Dot2(sums[0], v_coefficients),
                                  Dot2(sums[1], v_coefficients));
      Store4(u + x, _mm_srai_epi32(_mm_add_epi32(u4, bias), kShift + 2));
      Store4(v + x, _mm_srai_epi32(_mm_add_epi32(v4, bias), kShift + 2));
    }
#endif
    for (; x < chroma_width; ++x) {
      const size_t left = 8 * static_cast<size_t>(x);
      // An odd last column pairs with itself.
      const size_t right = 2 * x + 1 < width ? left + 4 : left;
      const int32_t r = top[left] + top[right] + bottom[left] + bottom[right];
      const int32_t g =
          top[left + 1] + top[right + 1] + bottom[left + 1] + bottom[right + 1];
      const int32_t b =
          top[left + 2] + top[right + 2] + bottom[left + 2] + bottom[right + 2];
      Chroma(r, g, b, u + x, v + x);
    }
  }
}

namespace {

// Packs `pixels` RGBA pixels into RGB at `to`. Each pixel is one 4-byte copy;
// the next pixel's copy overwrites the alpha byte. The last pixel is copied
// byte by byte (no room for a 4th).
void PackRgb(const uint8_t* rgba, size_t pixels, uint8_t* to) {
  size_t i = 0;
  for (; i + 1 < pixels; ++i, rgba += 4, to += 3) std::memcpy(to, rgba, 4);
  for (; i < pixels; ++i, rgba += 4, to += 3) {
    to[0] = rgba[0];
    to[1] = rgba[1];
    to[2] = rgba[2];
  }
}

}  // namespace

void RgbaToRgb(const uint8_t* rgba, int width, int height, Frame* frame) {
  PackRgb(rgba, static_cast<size_t>(width) * height, frame->data());
}

void RgbaToRgb(const uint8_t* top_row, ptrdiff_t row_stride, int width,
               int height, Frame* frame) {
  for (int row = 0; row < height; ++row) {
    PackRgb(top_row + row * row_stride, width,
            frame->data() + static_cast<size_t>(row) * width * 3);
  }
}

}  // namespace rl
