// librasnative-cublaslt-emulator.so: the cuBLASLt entry points the backend binds (cuda/RasNative.Cuda/Native/CublasLt.cs)
// and the ones the GPU-speed work needs (layout batches and order, fp8 scales, bias/GELU/ReLU epilogues), with
// the real symbol names, attribute numbers and C ABI. Descriptors are validated as cublasLtMatmul documents;
// the product is queued on the given stream of the emulated driver and runs at synchronisation.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <unordered_set>

#include "../blas/api.h"
#include "../blas/gemm.h"

using namespace rasemu::blas;

namespace {

// ---------------------------------------------------------------------------------------------------------
// Opaque objects. Each kind has a registry of live objects, so that a NULL, destroyed or foreign descriptor is
// an error status instead of a crash.

template <typename T>
class Registry {
public:
    T* create() {
        auto* object = new T();
        std::lock_guard<std::mutex> guard(lock);
        live.insert(object);
        return object;
    }

    T* find(const void* object) {
        std::lock_guard<std::mutex> guard(lock);
        auto it = live.find(static_cast<T*>(const_cast<void*>(object)));
        return it == live.end() ? nullptr : *it;
    }

    bool destroy(void* object) {
        std::lock_guard<std::mutex> guard(lock);
        auto it = live.find(static_cast<T*>(object));
        if (it == live.end()) return false;
        delete *it;
        live.erase(it);
        return true;
    }

private:
    std::mutex lock;
    std::unordered_set<T*> live;
};

struct LtHandle {};

// cublasOperation_t, cublasFillMode_t, cublasLtPointerMode_t, cublasLtOrder_t.
constexpr int32_t OpN = 0, OpC = 2;
constexpr int32_t FillModeFull = 2;
constexpr int32_t PointerModeHost = 0, PointerModeDevice = 1, PointerModeLast = 4;
constexpr int32_t OrderCol = 0, OrderRow = 1, OrderLast = 4; // COL32, COL4_4R2_8C, COL32_2R_4R4: not emulated

// cublasLtEpilogue_t.
enum Epilogue : uint32_t {
    EpilogueDefault = 1,
    EpilogueRelu = 2,
    EpilogueBias = 4,
    EpilogueReluBias = 6,
    EpilogueGelu = 32,
    EpilogueGeluBias = 36,
};

bool known_unsupported_epilogue(uint32_t e) {
    switch (e) {
    case 130: // RELU_AUX
    case 134: // RELU_AUX_BIAS
    case 136: // DRELU
    case 152: // DRELU_BGRAD
    case 160: // GELU_AUX
    case 164: // GELU_AUX_BIAS
    case 192: // DGELU
    case 208: // DGELU_BGRAD
    case 256: // BGRADA
    case 512: // BGRADB
        return true;
    default: return false;
    }
}

struct MatmulDesc {
    int32_t compute_type = Compute32F;
    int32_t scale_type = R32F;
    int32_t pointer_mode = PointerModeHost;
    int32_t transa = OpN, transb = OpN, transc = OpN;
    int32_t fill_mode = FillModeFull;
    uint32_t epilogue = EpilogueDefault;
    uint64_t bias_pointer = 0;
    int64_t bias_batch_stride = 0;
    uint64_t aux_pointer = 0;
    int64_t aux_ld = 0, aux_batch_stride = 0, alpha_vector_batch_stride = 0;
    int32_t sm_count_target = 0;
    uint64_t a_scale = 0, b_scale = 0, c_scale = 0, d_scale = 0, amax_d = 0;
    int32_t aux_data_type = -1;
    uint64_t aux_scale = 0, aux_amax = 0;
    int8_t fast_accum = 0;
    int32_t bias_data_type = -1;
    int32_t sync_chunks_rows = 0, sync_chunks_cols = 0;
    uint64_t sync_in_counters = 0, sync_out_counters = 0;
};

struct Layout {
    uint32_t type = R32F;
    int32_t order = OrderCol;
    uint64_t rows = 0, cols = 0;
    int64_t ld = 0;
    int32_t batch_count = 1;
    int64_t batch_stride = 0;
    int64_t plane_offset = 0;
};

struct Preference {
    uint32_t search_mode = 0;
    uint64_t max_workspace = 0;
    uint32_t reduction_scheme_mask = 0x7;
    uint32_t min_alignment_a = 256, min_alignment_b = 256, min_alignment_c = 256, min_alignment_d = 256;
    float max_waves = 0;
    uint64_t impl_mask = ~uint64_t(0);
};

Registry<LtHandle> handles;
Registry<MatmulDesc> descs;
Registry<Layout> layouts;
Registry<Preference> preferences;

// ---------------------------------------------------------------------------------------------------------
// Attributes: each is one field of the object, set and read by size-checked copies (cublasLt*SetAttribute and
// *GetAttribute return CUBLAS_STATUS_INVALID_VALUE for a NULL buffer, a size that is not the attribute's, or an
// unknown attribute).

struct Field {
    int id;
    size_t offset, size;
};

#define FIELD(id, type, member) Field{id, offsetof(type, member), sizeof(type::member)}

const Field desc_fields[] = {
    FIELD(0, MatmulDesc, compute_type),        FIELD(1, MatmulDesc, scale_type),
    FIELD(2, MatmulDesc, pointer_mode),        FIELD(3, MatmulDesc, transa),
    FIELD(4, MatmulDesc, transb),              FIELD(5, MatmulDesc, transc),
    FIELD(6, MatmulDesc, fill_mode),           FIELD(7, MatmulDesc, epilogue),
    FIELD(8, MatmulDesc, bias_pointer),        FIELD(10, MatmulDesc, bias_batch_stride),
    FIELD(11, MatmulDesc, aux_pointer),        FIELD(12, MatmulDesc, aux_ld),
    FIELD(13, MatmulDesc, aux_batch_stride),   FIELD(14, MatmulDesc, alpha_vector_batch_stride),
    FIELD(15, MatmulDesc, sm_count_target),    FIELD(17, MatmulDesc, a_scale),
    FIELD(18, MatmulDesc, b_scale),            FIELD(19, MatmulDesc, c_scale),
    FIELD(20, MatmulDesc, d_scale),            FIELD(21, MatmulDesc, amax_d),
    FIELD(22, MatmulDesc, aux_data_type),      FIELD(23, MatmulDesc, aux_scale),
    FIELD(24, MatmulDesc, aux_amax),           FIELD(25, MatmulDesc, fast_accum),
    FIELD(26, MatmulDesc, bias_data_type),     FIELD(27, MatmulDesc, sync_chunks_rows),
    FIELD(28, MatmulDesc, sync_chunks_cols),   FIELD(29, MatmulDesc, sync_in_counters),
    FIELD(30, MatmulDesc, sync_out_counters),
};

const Field layout_fields[] = {
    FIELD(0, Layout, type),        FIELD(1, Layout, order),        FIELD(2, Layout, rows),
    FIELD(3, Layout, cols),        FIELD(4, Layout, ld),           FIELD(5, Layout, batch_count),
    FIELD(6, Layout, batch_stride), FIELD(7, Layout, plane_offset),
};

const Field preference_fields[] = {
    FIELD(0, Preference, search_mode),     FIELD(1, Preference, max_workspace),
    FIELD(3, Preference, reduction_scheme_mask), FIELD(5, Preference, min_alignment_a),
    FIELD(6, Preference, min_alignment_b), FIELD(7, Preference, min_alignment_c),
    FIELD(8, Preference, min_alignment_d), FIELD(9, Preference, max_waves),
    FIELD(12, Preference, impl_mask),
};

#undef FIELD

template <size_t N>
const Field* field(const Field (&fields)[N], int id) {
    for (const Field& f : fields)
        if (f.id == id) return &f;
    return nullptr;
}

template <typename T, size_t N>
int set_attribute(T* object, const Field (&fields)[N], int id, const void* buf, size_t size) {
    if (!object) return StatusInvalidValue;
    const Field* f = field(fields, id);
    if (!f || !buf || size != f->size) return StatusInvalidValue;
    std::memcpy(reinterpret_cast<char*>(object) + f->offset, buf, size);
    return StatusSuccess;
}

template <typename T, size_t N>
int get_attribute(const T* object, const Field (&fields)[N], int id, void* buf, size_t size, size_t* written) {
    if (!object) return StatusInvalidValue;
    const Field* f = field(fields, id);
    if (!f) return StatusInvalidValue;
    if (size == 0) {
        if (!written) return StatusInvalidValue;
        *written = f->size; // size 0 asks how many bytes the attribute needs
        return StatusSuccess;
    }
    if (!buf || size != f->size) return StatusInvalidValue;
    std::memcpy(buf, reinterpret_cast<const char*>(object) + f->offset, size);
    if (written) *written = size;
    return StatusSuccess;
}

// ---------------------------------------------------------------------------------------------------------
// The algorithm: one, always the same kernel; the 64-byte opaque struct says so in readable bytes.

struct Algo {
    uint64_t data[8];
};
static_assert(sizeof(Algo) == 64, "cublasLtMatmulAlgo_t is 64 bytes");

struct HeuristicResult {
    Algo algo;
    size_t workspace_size;
    int32_t state;
    float waves_count;
    int32_t reserved[4];
};
static_assert(sizeof(HeuristicResult) == 96, "cublasLtMatmulHeuristicResult_t is 96 bytes");

constexpr uint64_t AlgoMagic = 0x4547554d45534152ull; // "RASEMUGE" in memory
constexpr uint64_t AlgoTile = 0x00100006008000c0ull;   // 16x6 register tile, 128x192 blocks (readable in hex)
// The widest vector access a GPU kernel makes (16 bytes). An algorithm chosen for operands aligned to at least
// that may use such accesses, so it needs that alignment from every pointer it is run with; a heuristic told
// (MIN_ALIGNMENT_*_BYTES) that an operand is less aligned returns a kernel with narrower accesses.
constexpr uint64_t AlgoMaxAlignment = 16;
// The workspace the algorithm claims (from what the caller allows), so that a matmul given less than its
// heuristic result asked for fails as it would on a GPU where split-K kernels use the workspace.
constexpr uint64_t AlgoWorkspaceLimit = 1 << 20;

uint64_t workspace_for(uint64_t allowed) { return std::min(allowed, AlgoWorkspaceLimit) & ~uint64_t(255); }

// The alignment (bytes) an algorithm needs from an operand whose pointers the preference promises `promised` for.
uint64_t needed_alignment(uint32_t promised) { return std::min<uint64_t>(std::max<uint32_t>(promised, 1), AlgoMaxAlignment); }

// data[4] holds the alignments the algorithm needs from A, B, C and D, 16 bits each (readable in hex).
Algo make_algo(uint64_t workspace, const Preference& p) {
    Algo a{};
    a.data[0] = AlgoMagic;
    a.data[1] = 0; // algorithm id
    a.data[2] = workspace;
    a.data[3] = AlgoTile;
    a.data[4] = needed_alignment(p.min_alignment_a) | needed_alignment(p.min_alignment_b) << 16 |
                needed_alignment(p.min_alignment_c) << 32 | needed_alignment(p.min_alignment_d) << 48;
    return a;
}

// Whether the pointers meet the alignments the algorithm was chosen for (operand i's in bits 16i..16i+15).
bool aligned_for(const Algo& algo, std::initializer_list<const void*> pointers) {
    int i = 0;
    for (const void* p : pointers) {
        uint64_t needed = (algo.data[4] >> (16 * i++)) & 0xffff;
        if (needed > 1 && reinterpret_cast<uintptr_t>(p) % needed != 0) return false;
    }
    return true;
}

// A bias epilogue reads its vector with 16-byte accesses: every batch's bias must start 16-byte aligned (the
// vector of a batch lies bias_batch_stride elements after the previous one's). Stricter than documented, on
// purpose: callers that meet it are safe with every real kernel; those that do not add the bias themselves.
bool bias_aligned(const MatmulDesc& d, const Gemm& g) {
    uint64_t stride_bytes = uint64_t(d.bias_batch_stride) * uint64_t(element_size(g.bias_type));
    return d.bias_pointer % 16 == 0 && (g.batch == 1 || stride_bytes % 16 == 0);
}

// ---------------------------------------------------------------------------------------------------------
// Validation shared by the heuristic and the matmul: the descriptor and the four layouts (not the pointers).

bool has_bias(uint32_t e) { return e == EpilogueBias || e == EpilogueReluBias || e == EpilogueGeluBias; }

// Rows and columns of op(X) for a layout (transposition swaps them; the order does not: rows/cols are logical).
void logical(const Layout& l, bool trans, uint64_t& rows, uint64_t& cols) {
    rows = trans ? l.cols : l.rows;
    cols = trans ? l.rows : l.cols;
}

bool ld_valid(const Layout& l) {
    uint64_t inner = l.order == OrderRow ? l.cols : l.rows;
    return l.ld >= 1 && uint64_t(l.ld) >= std::max<uint64_t>(1, inner);
}

// The fp8 rows of cublasLtMatmul's table: (C type, D type) per input pair; E5M2 x E5M2 is not supported.
bool fp8_output_supported(int a, int b, int c, int d) {
    if (a == R8F_E5M2 && b == R8F_E5M2) return false;
    bool e5m2_input = a == R8F_E5M2 || b == R8F_E5M2;
    if (c == R32F) return d == R32F;
    if (c == R16BF || c == R16F) return d == c || d == R8F_E4M3 || (e5m2_input && d == R8F_E5M2);
    return false;
}

int default_bias_type(bool fp8, int c, int d) {
    if (!fp8) return d;
    if (d == R32F) return R16BF;
    if (is_fp8(d)) return c;
    return d;
}

// fp8 tensor-core kernels read A and B along k (the "TN" format for column-major layouts: A transposed, B not;
// with a row-major layout the transpose flag flips) and need 16-byte aligned leading dimensions and extents.
bool fp8_layout_supported(const MatmulDesc& d, const Layout& a, const Layout& b, const Layout& c, const Layout& dl,
                          uint64_t k) {
    bool ta = d.transa != OpN, tb = d.transb != OpN;
    bool a_along_k = a.order == OrderCol ? ta : !ta;
    bool b_along_k = b.order == OrderCol ? !tb : tb;
    if (!a_along_k || !b_along_k) return false;
    if (k % 16 != 0) return false;
    for (const Layout* l : {&a, &b, &c, &dl}) {
        uint64_t inner = l->order == OrderRow ? l->cols : l->rows;
        int es = element_size(int(l->type));
        if ((uint64_t(l->ld) * es) % 16 != 0 || (inner * es) % 16 != 0) return false;
    }
    return true;
}

// Fills g's shape, types, strides and epilogue from the descriptors; the status a matmul with them returns.
int plan(const MatmulDesc& d, const Layout& a, const Layout& b, const Layout& c, const Layout& dl, Gemm& g) {
    if (!known_compute_type(d.compute_type)) return StatusInvalidValue;
    if (d.transa < OpN || d.transa > OpC || d.transb < OpN || d.transb > OpC || d.transc < OpN || d.transc > OpC)
        return StatusInvalidValue;
    if (d.pointer_mode < PointerModeHost || d.pointer_mode > PointerModeLast) return StatusInvalidValue;
    bool supported_epilogue = d.epilogue == EpilogueDefault || d.epilogue == EpilogueRelu || has_bias(d.epilogue) ||
                              d.epilogue == EpilogueGelu;
    if (!supported_epilogue && !known_unsupported_epilogue(d.epilogue)) return StatusInvalidValue;
    for (const Layout* l : {&a, &b, &c, &dl}) {
        if (l->order < OrderCol || l->order > OrderLast) return StatusInvalidValue;
        if (l->batch_count < 1) return StatusInvalidValue;
        if (l->rows > (uint64_t(1) << 40) || l->cols > (uint64_t(1) << 40)) return StatusInvalidValue;
    }

    // Shapes: op(A) is m x k, op(B) is k x n, C and D are m x n.
    bool ta = d.transa != OpN, tb = d.transb != OpN;
    uint64_t m = dl.rows, n = dl.cols, a_rows, k, b_rows, b_cols;
    logical(a, ta, a_rows, k);
    logical(b, tb, b_rows, b_cols);
    if (c.rows != m || c.cols != n || a_rows != m || b_rows != k || b_cols != n) return StatusInvalidValue;
    for (const Layout* l : {&a, &b, &c, &dl})
        if (!ld_valid(*l)) return StatusInvalidValue;
    if (a.batch_count != dl.batch_count || b.batch_count != dl.batch_count || c.batch_count != dl.batch_count)
        return StatusInvalidValue;

    // What the emulator does not model, though the real library may.
    if (d.transc != OpN || d.fill_mode != FillModeFull) return StatusNotSupported;
    if (d.pointer_mode != PointerModeHost && d.pointer_mode != PointerModeDevice) return StatusNotSupported;
    if (!supported_epilogue) return StatusNotSupported;
    for (const Layout* l : {&a, &b, &c, &dl})
        if (l->order != OrderCol && l->order != OrderRow) return StatusNotSupported;

    // Types.
    int at = int(a.type), bt = int(b.type), ct = int(c.type), dt = int(dl.type);
    for (int t : {at, bt, ct, dt})
        if (!known_type(t)) return StatusNotSupported;
    bool fp8 = is_fp8(at) || is_fp8(bt);
    if (fp8) {
        if (!is_fp8(at) || !is_fp8(bt) || !fp8_output_supported(at, bt, ct, dt)) return StatusNotSupported;
        if (d.compute_type != Compute32F || d.scale_type != R32F) return StatusNotSupported;
        if (!fp8_layout_supported(d, a, b, c, dl, k)) return StatusNotSupported;
        // The D scale converts into fp8's range; it has no meaning for a wider D.
        if (d.d_scale && !is_fp8(dt)) return StatusInvalidValue;
    } else {
        if (at != bt || ct != dt || !supported_types(at, ct, d.compute_type)) return StatusNotSupported;
        if (d.scale_type != (is_f64_compute(d.compute_type) ? R64F : R32F)) return StatusNotSupported;
        // "If set for an unsupported matrix data, scale, and compute type combination, cublasLtMatmul() returns
        // CUBLAS_STATUS_INVALID_VALUE": the per-tensor scales belong to fp8.
        if (d.a_scale || d.b_scale || d.c_scale || d.d_scale || d.amax_d) return StatusInvalidValue;
    }
    int bias_type = d.bias_data_type == -1 ? default_bias_type(fp8, ct, dt) : d.bias_data_type;
    if (has_bias(d.epilogue) && bias_type != default_bias_type(fp8, ct, dt)) return StatusNotSupported;

    g.trans_a = ta;
    g.trans_b = tb;
    g.m = int64_t(m);
    g.n = int64_t(n);
    g.k = int64_t(k);
    g.batch = dl.batch_count;
    auto operand = [](const Layout& l) {
        Operand o;
        o.type = int(l.type);
        o.rows = int64_t(l.rows);
        o.cols = int64_t(l.cols);
        o.ld = l.ld;
        o.row_major = l.order == OrderRow;
        o.batch_stride = l.batch_stride;
        return o;
    };
    g.a = operand(a);
    g.b = operand(b);
    g.c = operand(c);
    g.d = operand(dl);
    g.f64 = is_f64_compute(d.compute_type);
    g.rounding = input_rounding(d.compute_type, at, false);
    g.bias_type = bias_type;
    g.bias_batch_stride = d.bias_batch_stride;
    g.activation = d.epilogue == EpilogueRelu || d.epilogue == EpilogueReluBias ? Activation::Relu
                   : d.epilogue == EpilogueGelu || d.epilogue == EpilogueGeluBias ? Activation::Gelu
                                                                                   : Activation::None;
    return StatusSuccess;
}

bool same_layout(const Layout& x, const Layout& y) {
    return x.type == y.type && x.order == y.order && x.rows == y.rows && x.cols == y.cols && x.ld == y.ld &&
           x.batch_count == y.batch_count && x.batch_stride == y.batch_stride;
}

} // namespace

RASEMU_EXPORT const char* rasemu_blas_emulator() { return "rasnative cuBLASLt emulator"; }

RASEMU_EXPORT const char* cublasLtGetStatusName(int status) { return status_name(status); }
RASEMU_EXPORT const char* cublasLtGetStatusString(int status) { return status_string(status); }

RASEMU_EXPORT int cublasLtCreate(void** handle) {
    if (!handle) return StatusInvalidValue;
    *handle = handles.create();
    return StatusSuccess;
}

RASEMU_EXPORT int cublasLtDestroy(void* handle) { return handles.destroy(handle) ? StatusSuccess : StatusNotInitialized; }

RASEMU_EXPORT int cublasLtMatmulDescCreate(void** desc, int compute_type, int scale_type) {
    if (!desc) return StatusInvalidValue;
    MatmulDesc* d = descs.create();
    d->compute_type = compute_type;
    d->scale_type = scale_type;
    *desc = d;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasLtMatmulDescDestroy(void* desc) {
    return descs.destroy(desc) ? StatusSuccess : StatusInvalidValue;
}

RASEMU_EXPORT int cublasLtMatmulDescSetAttribute(void* desc, int attribute, const void* buf, size_t size) {
    return set_attribute(descs.find(desc), desc_fields, attribute, buf, size);
}

RASEMU_EXPORT int cublasLtMatmulDescGetAttribute(void* desc, int attribute, void* buf, size_t size, size_t* written) {
    return get_attribute(descs.find(desc), desc_fields, attribute, buf, size, written);
}

RASEMU_EXPORT int cublasLtMatrixLayoutCreate(void** layout, int type, uint64_t rows, uint64_t cols, int64_t ld) {
    if (!layout) return StatusInvalidValue;
    Layout* l = layouts.create();
    l->type = uint32_t(type);
    l->rows = rows;
    l->cols = cols;
    l->ld = ld;
    *layout = l;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasLtMatrixLayoutDestroy(void* layout) {
    return layouts.destroy(layout) ? StatusSuccess : StatusInvalidValue;
}

RASEMU_EXPORT int cublasLtMatrixLayoutSetAttribute(void* layout, int attribute, const void* buf, size_t size) {
    return set_attribute(layouts.find(layout), layout_fields, attribute, buf, size);
}

RASEMU_EXPORT int cublasLtMatrixLayoutGetAttribute(void* layout, int attribute, void* buf, size_t size, size_t* written) {
    return get_attribute(layouts.find(layout), layout_fields, attribute, buf, size, written);
}

RASEMU_EXPORT int cublasLtMatmulPreferenceCreate(void** preference) {
    if (!preference) return StatusInvalidValue;
    *preference = preferences.create();
    return StatusSuccess;
}

RASEMU_EXPORT int cublasLtMatmulPreferenceDestroy(void* preference) {
    return preferences.destroy(preference) ? StatusSuccess : StatusInvalidValue;
}

RASEMU_EXPORT int cublasLtMatmulPreferenceSetAttribute(void* preference, int attribute, const void* buf, size_t size) {
    return set_attribute(preferences.find(preference), preference_fields, attribute, buf, size);
}

RASEMU_EXPORT int cublasLtMatmulPreferenceGetAttribute(void* preference, int attribute, void* buf, size_t size,
                                                       size_t* written) {
    return get_attribute(preferences.find(preference), preference_fields, attribute, buf, size, written);
}

RASEMU_EXPORT int cublasLtMatmulAlgoGetHeuristic(void* handle, void* desc, void* a, void* b, void* c, void* d,
                                                 void* preference, int requested, void* results, int* returned) {
    if (!handles.find(handle)) return StatusNotInitialized;
    MatmulDesc* md = descs.find(desc);
    Layout *la = layouts.find(a), *lb = layouts.find(b), *lc = layouts.find(c), *ld = layouts.find(d);
    Preference* pref = preferences.find(preference);
    if (!md || !la || !lb || !lc || !ld || !pref || !results || !returned || requested <= 0) return StatusInvalidValue;
    *returned = 0;
    Gemm g;
    int status = plan(*md, *la, *lb, *lc, *ld, g);
    if (status != StatusSuccess) return status;

    HeuristicResult result{};
    result.algo = make_algo(workspace_for(pref->max_workspace), *pref);
    result.workspace_size = result.algo.data[2];
    result.state = StatusSuccess;
    const double sms = 132; // the emulated device: an H100/H200-class GPU
    double tiles = double((g.m + 127) / 128) * double((g.n + 191) / 192) * double(g.batch);
    result.waves_count = float(tiles / sms);
    std::memcpy(results, &result, sizeof result);
    *returned = 1;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasLtMatmul(void* handle, void* desc, const void* alpha, const void* a, void* a_layout,
                                 const void* b, void* b_layout, const void* beta, const void* c, void* c_layout,
                                 void* d, void* d_layout, const void* algo, void* workspace, size_t workspace_bytes,
                                 void* stream) {
    if (!handles.find(handle)) return StatusNotInitialized;
    MatmulDesc* md = descs.find(desc);
    Layout *la = layouts.find(a_layout), *lb = layouts.find(b_layout), *lc = layouts.find(c_layout),
           *ld = layouts.find(d_layout);
    if (!md || !la || !lb || !lc || !ld || !alpha || !beta) return StatusInvalidValue;
    Gemm g;
    g.call = "cublasLtMatmul";
    int status = plan(*md, *la, *lb, *lc, *ld, g);
    if (status != StatusSuccess) return status;

    // The algorithm: a heuristic result of ours (NULL: the library picks one for the workspace given).
    uint64_t needed = workspace_for(workspace_bytes);
    if (algo) {
        Algo chosen;
        std::memcpy(&chosen, algo, sizeof chosen);
        if (chosen.data[0] != AlgoMagic) return StatusInvalidValue;
        needed = chosen.data[2];
        // Run with pointers less aligned than the heuristic was told: the kernel's vector accesses would fault.
        if (!aligned_for(chosen, {a, b, c, static_cast<const void*>(d)})) return StatusInvalidValue;
    }
    if (needed > workspace_bytes || (workspace_bytes > 0 && !workspace)) return StatusInvalidValue;

    // In place (C == D) needs C and D described alike.
    if (c == d && !same_layout(*lc, *ld)) return StatusInvalidValue;
    if (has_bias(md->epilogue) && !md->bias_pointer) return StatusInvalidValue;
    if (has_bias(md->epilogue) && !bias_aligned(*md, g)) return StatusNotSupported;
    if (is_fp8(g.a.type))
        for (const void* p : {a, b, c, static_cast<const void*>(d)})
            if (reinterpret_cast<uintptr_t>(p) % 16 != 0) return StatusNotSupported;
    if (g.m == 0 || g.n == 0) return StatusSuccess;

    g.a.address = uint64_t(a);
    g.b.address = uint64_t(b);
    g.c.address = uint64_t(c);
    g.d.address = uint64_t(d);
    g.set_scalars(alpha, beta, md->pointer_mode == PointerModeDevice);
    if (has_bias(md->epilogue)) g.bias = md->bias_pointer;
    g.scale_a = md->a_scale;
    g.scale_b = md->b_scale;
    g.scale_c = md->c_scale;
    g.scale_d = md->d_scale;
    g.amax_d = md->amax_d;
    g.workspace = uint64_t(workspace);
    g.workspace_bytes = workspace_bytes;
    return submit(stream, g) == 0 ? StatusSuccess : StatusExecutionFailed;
}
