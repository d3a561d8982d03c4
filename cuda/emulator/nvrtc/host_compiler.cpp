#include "host_compiler.h"

#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "kernel_scan.h"
#include "sha256.h"

extern "C" const char rasemu_emulation_header_text[];
extern "C" const char rasemu_kernel_abi_header_text[];
extern char** environ;

namespace rasemu
{
namespace
{
// Bumped whenever the driver/NVRTC pair changes what an image contains or how it is built.
constexpr const char* EmulatorVersion = "rasnative-cuda-emulator 1";

std::string compiler()
{
    const char* explicit_compiler = getenv("RASNATIVE_CUDA_EMULATOR_CXX");
    return explicit_compiler && *explicit_compiler ? explicit_compiler : "g++";
}

bool debug_build()
{
    const char* debug = getenv("RASNATIVE_CUDA_EMULATOR_DEBUG");
    return debug != nullptr && strcmp(debug, "1") == 0;
}

bool write_file(const std::string& path, const std::string& text)
{
    std::ofstream file(path, std::ios::binary);
    file << text;
    return static_cast<bool>(file);
}

std::string read_file(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// Runs argv with stdout and stderr into `output`; the exit status, or -1 when it could not run.
int run(const std::vector<std::string>& argv, const std::string& output)
{
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid;
    int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
    {
        // The host runtime may reap children itself (.NET's SIGCHLD handling): then the output decides.
        if (errno != EINTR) return 0;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string temporary_root()
{
    const char* tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

std::string compiler_version()
{
    static std::once_flag once;
    static std::string version;
    std::call_once(once, [] {
        std::string output = temporary_root() + "/rasnative-cxx-version-" + std::to_string(getpid()) + ".txt";
        if (run({compiler(), "--version"}, output) == 0) version = read_file(output);
        unlink(output.c_str());
        size_t newline = version.find('\n');
        if (newline != std::string::npos) version.resize(newline);
    });
    return version;
}

std::string cache_root()
{
    auto from = [](const char* variable, const char* suffix) -> std::string {
        const char* value = getenv(variable);
        return value && *value ? std::string(value) + suffix : "";
    };
    std::string root = from("RASNATIVE_KERNEL_CACHE", "/emulator");
    if (root.empty()) root = from("XDG_CACHE_HOME", "/rasnative/emulator");
    if (root.empty()) root = from("HOME", "/.cache/rasnative/emulator");
    if (root.empty()) root = temporary_root() + "/rasnative-emulator-" + std::to_string(getuid());
    return root;
}

bool make_directories(const std::string& path)
{
    for (size_t slash = path.find('/', 1); ; slash = path.find('/', slash + 1))
    {
        std::string prefix = path.substr(0, slash);
        if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return false;
        if (slash == std::string::npos) return true;
    }
}

void remove_tree(const std::string& path)
{
    nftw(path.c_str(), [](const char* entry, const struct stat*, int, FTW*) { return remove(entry); }, 16, FTW_DEPTH | FTW_PHYS);
}

// The g++ command for `input` in `folder`, with debug paths rewritten to `final_folder`.
std::vector<std::string> command(const HostCompileInput& input, const std::string& folder, const std::string& final_folder)
{
    int arch = 900;
    bool debug = debug_build();
    std::vector<std::string> defines;
    for (const std::string& option : input.options)
    {
        auto value = [&](const char* prefix) -> const char* {
            size_t n = strlen(prefix);
            return option.compare(0, n, prefix) == 0 ? option.c_str() + n : nullptr;
        };
        if (const char* d = value("--define-macro=")) defines.push_back(std::string("-D") + d);
        else if (const char* u = value("--undefine-macro=")) defines.push_back(std::string("-U") + u);
        else if (const char* i = value("--include-path=")) defines.push_back(std::string("-I") + i);
        else if (option.size() > 2 && (option.compare(0, 2, "-D") == 0 || option.compare(0, 2, "-U") == 0 || option.compare(0, 2, "-I") == 0)) defines.push_back(option);
        else if (option == "-G" || option == "--device-debug") debug = true;
        else
        {
            const char* target = value("--gpu-architecture=");
            if (target == nullptr) target = value("-arch=");
            if (target != nullptr && (strncmp(target, "sm_", 3) == 0 || strncmp(target, "compute_", 8) == 0))
                arch = atoi(strchr(target, '_') + 1) * 10;
        }
    }
    std::vector<std::string> argv = {compiler(), "-std=c++17", debug ? "-O0" : "-O2", debug ? "-g3" : "-g", "-mavx2", "-mfma", "-ffp-contract=fast",
        "-fno-math-errno", "-fPIC", "-shared", "-fvisibility=hidden", "-fno-exceptions", "-Wl,-z,defs",
        "-D__CUDACC__", "-D__CUDACC_RTC__", "-D__CUDA_ARCH__=" + std::to_string(arch),
        "-include", folder + "/cuda_emulation.h", "-I" + folder};
    argv.insert(argv.end(), defines.begin(), defines.end());
    argv.push_back("-fdebug-prefix-map=" + folder + "=" + final_folder);
    argv.insert(argv.end(), {"-o", folder + "/module.so", folder + "/module.cpp"});
    return argv;
}

std::string cache_key(const HostCompileInput& input)
{
    Sha256 key;
    key.add_part(host_compiler_identity());
    // The command line with placeholder folders, so the flags and options are part of the key.
    for (const std::string& arg : command(input, "@", "@")) key.add_part(arg);
    key.add_part(input.name);
    key.add_part(input.source);
    for (const auto& [name, text] : input.headers)
    {
        key.add_part(name);
        key.add_part(text);
    }
    return key.hex();
}

bool write_inputs(const HostCompileInput& input, const std::string& folder)
{
    bool ok = write_file(folder + "/cuda_emulation.h", rasemu_emulation_header_text) &&
        write_file(folder + "/rasemu_kernel_abi.h", rasemu_kernel_abi_header_text) && write_file(folder + "/" + input.name, input.source);
    for (const auto& [name, text] : input.headers)
    {
        size_t slash = name.rfind('/');
        if (slash != std::string::npos) ok = ok && make_directories(folder + "/" + name.substr(0, slash));
        ok = ok && write_file(folder + "/" + name, text);
    }
    std::string wrapper = "#include \"" + input.name + "\"\nRASEMU_MODULE_BEGIN\n";
    for (const std::string& kernel : find_kernels(input.source)) wrapper += "RASEMU_KERNEL(" + kernel + ")\n";
    wrapper += "RASEMU_MODULE_END\n";
    return ok && write_file(folder + "/module.cpp", wrapper);
}

bool read_image(const std::string& path, std::vector<uint8_t>& image)
{
    std::string bytes = read_file(path);
    if (bytes.size() < 64 || bytes.compare(0, 4, "\x7f" "ELF") != 0) return false;
    image.assign(bytes.begin(), bytes.end());
    return true;
}
} // namespace

std::string host_compiler_identity()
{
    Sha256 headers;
    headers.add_part(rasemu_emulation_header_text);
    headers.add_part(rasemu_kernel_abi_header_text);
    return std::string(EmulatorVersion) + "; headers " + headers.hex().substr(0, 16) + "; " + compiler() + ": " + compiler_version() +
        (debug_build() ? "; debug build (-O0)" : "");
}

bool compile_for_host(const HostCompileInput& input, std::vector<uint8_t>& image, std::string& log)
{
    if (input.name.empty() || input.name.find('/') != std::string::npos || input.name[0] == '.')
    {
        log = "emulated NVRTC: program name \"" + input.name + "\" must be a plain file name";
        return false;
    }
    std::string root = cache_root(), key = cache_key(input), final_folder = root + "/" + key;
    if (read_image(final_folder + "/module.so", image)) return true;

    // Build in a private folder beside the final one and publish it by rename, so a concurrent process
    // never sees a half-written entry. Without a writable cache, build in /tmp and keep nothing.
    bool cached = make_directories(root);
    std::string pattern = (cached ? root : temporary_root()) + "/.build-XXXXXX";
    std::vector<char> folder_name(pattern.begin(), pattern.end());
    folder_name.push_back('\0');
    if (mkdtemp(folder_name.data()) == nullptr)
    {
        log = "emulated NVRTC: cannot create a build folder from " + pattern + ": " + strerror(errno);
        return false;
    }
    std::string folder = folder_name.data();
    if (!write_inputs(input, folder))
    {
        remove_tree(folder);
        log = "emulated NVRTC: cannot write the sources into " + folder;
        return false;
    }
    std::vector<std::string> argv = command(input, folder, cached ? final_folder : folder);
    int status = run(argv, folder + "/compiler.log");
    log = read_file(folder + "/compiler.log");
    if (status != 0 || !read_image(folder + "/module.so", image))
    {
        std::string line;
        for (const auto& arg : argv) line += arg + " ";
        log = "emulated NVRTC: " + (status < 0 ? "could not run " + compiler() + " (install g++ or set RASNATIVE_CUDA_EMULATOR_CXX)" : compiler() + " failed") +
            " compiling " + input.name + ":\n" + log + "\ncommand: " + line;
        remove_tree(folder);
        return false;
    }
    if (!cached || rename(folder.c_str(), final_folder.c_str()) != 0) remove_tree(folder);   // lost a race: the winner's entry is equivalent
    return true;
}
} // namespace rasemu
