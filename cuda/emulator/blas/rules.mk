# Build rules shared by the emulated cuBLAS and cuBLASLt (included by cublas/Makefile and cublaslt/Makefile).
#
#   make -C cuda/emulator/cublas   OUT=/absolute/dir   -> /absolute/dir/librasnative-cublas-emulator.so
#   make -C cuda/emulator/cublaslt OUT=/absolute/dir   -> /absolute/dir/librasnative-cublaslt-emulator.so
#
# Each library is linked against librasnative-cuda-emulator.so (the emulated driver: rasemu_host.h) with run
# path $ORIGIN, so the three files must lie in one folder at run time. A link stub stands in for the driver
# at build time, so the BLAS libraries build without it. Objects go to $(OBJ) (default $(OUT)/.obj/<library>).
# CXX: any g++ with AVX2/FMA/F16C support (Debian's g++ 12); the code needs no -march=native.

ifeq ($(strip $(OUT)),)
$(error set OUT=<absolute output folder>)
endif
OUT := $(abspath $(OUT))
BLAS_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
OBJ ?= $(OUT)/.obj/$(LIB)
CXX ?= g++
CC ?= gcc

BLAS_CXXFLAGS := -std=c++17 -O3 -mavx2 -mfma -mf16c -ffp-contract=off -fPIC -fvisibility=hidden \
                 -Wall -Wextra -Werror -MMD -MP
ENGINE_SOURCES := $(BLAS_DIR)/gemm.cpp $(BLAS_DIR)/formats.cpp $(BLAS_DIR)/api.cpp
OBJECTS := $(addprefix $(OBJ)/,$(notdir $(SOURCES:.cpp=.o) $(ENGINE_SOURCES:.cpp=.o)))
STUB := $(OBJ)/stub/librasnative-cuda-emulator.so

vpath %.cpp $(CURDIR) $(BLAS_DIR)

.PHONY: all
all: $(OUT)/$(LIB)

$(OUT)/$(LIB): $(OBJECTS) $(STUB) $(BLAS_DIR)/exports.map | $(OUT)
	$(CXX) -shared -o $@ $(OBJECTS) -L$(dir $(STUB)) -lrasnative-cuda-emulator -pthread \
		-Wl,-soname,$(LIB) -Wl,-rpath,'$$ORIGIN' -Wl,-z,defs -Wl,--as-needed \
		-Wl,--version-script,$(BLAS_DIR)/exports.map

$(OBJ)/%.o: %.cpp | $(OBJ)
	$(CXX) $(BLAS_CXXFLAGS) $(CXXFLAGS) -c $< -o $@

$(STUB): $(BLAS_DIR)/host_link_stub.c | $(OBJ)
	mkdir -p $(dir $@)
	$(CC) -shared -fPIC -o $@ $< -Wl,-soname,librasnative-cuda-emulator.so

$(OUT) $(OBJ):
	mkdir -p $@

-include $(OBJECTS:.o=.d)
