// Matrix: a dense row-major matrix of floats or doubles, the one data type of
// the nn library. A batch of vectors is a matrix with one vector per row.
//
// Example:
//   nn::Matrix<float> batch(32, 4);  // 32 observations of 4 floats.
//   batch(0, 2) = 0.5f;
//   float* first = batch.row(0);
#ifndef RL_AGENTS_NN_MATRIX_H_
#define RL_AGENTS_NN_MATRIX_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace rl {
namespace nn {

template <typename T>
class Matrix {
 public:
  Matrix() = default;
  Matrix(int rows, int cols) { Resize(rows, cols); }

  // Sets the shape, keeping the allocation when it is large enough. Values
  // are unspecified afterwards (zero when newly allocated).
  void Resize(int rows, int cols) {
    rows_ = rows;
    cols_ = cols;
    data_.resize(static_cast<size_t>(rows) * cols);
  }
  void SetZero() { std::fill(data_.begin(), data_.end(), T(0)); }

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  size_t size() const { return data_.size(); }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  T* row(int r) { return data_.data() + static_cast<size_t>(r) * cols_; }
  const T* row(int r) const {
    return data_.data() + static_cast<size_t>(r) * cols_;
  }
  T& operator()(int r, int c) { return row(r)[c]; }
  const T& operator()(int r, int c) const { return row(r)[c]; }

 private:
  int rows_ = 0;
  int cols_ = 0;
  std::vector<T> data_;
};

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_MATRIX_H_
