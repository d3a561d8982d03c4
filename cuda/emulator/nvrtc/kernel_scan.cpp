#include "kernel_scan.h"

#include <cctype>

namespace rasemu
{
namespace
{
bool identifier_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identifier_part(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Identifiers, string literals (with quotes) and single punctuation characters; comments, character literals
// and preprocessor lines dropped.
std::vector<std::string> tokens(const std::string& s)
{
    std::vector<std::string> result;
    bool line_start = true;
    for (size_t i = 0; i < s.size();)
    {
        char c = s[i];
        if (c == '\n')
        {
            line_start = true;
            i++;
        }
        else if (std::isspace(static_cast<unsigned char>(c)))
        {
            i++;
        }
        else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/')
        {
            while (i < s.size() && s[i] != '\n') i++;
        }
        else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*')
        {
            size_t end = s.find("*/", i + 2);
            i = end == std::string::npos ? s.size() : end + 2;
        }
        else if (c == '#' && line_start)
        {
            while (i < s.size() && s[i] != '\n') i += s[i] == '\\' && i + 1 < s.size() ? 2 : 1;
        }
        else if (c == '"' || c == '\'')
        {
            size_t start = i++;
            while (i < s.size() && s[i] != c) i += s[i] == '\\' ? 2 : 1;
            i++;
            if (c == '"') result.push_back(s.substr(start, i - start));
            line_start = false;
        }
        else if (identifier_start(c))
        {
            size_t start = i;
            while (i < s.size() && identifier_part(s[i])) i++;
            result.push_back(s.substr(start, i - start));
            line_start = false;
        }
        else
        {
            result.emplace_back(1, c);
            i++;
            line_start = false;
        }
    }
    return result;
}
} // namespace

std::vector<std::string> find_kernels(const std::string& source)
{
    std::vector<std::string> t = tokens(source), names;
    auto at = [&](size_t i) -> const std::string& {
        static const std::string none;
        return i < t.size() ? t[i] : none;
    };
    for (size_t i = 0; i + 1 < t.size(); i++)
    {
        if (t[i] != "extern" || t[i + 1] != "\"C\"") continue;
        size_t j = i + 2;
        bool global = false;
        while (at(j) == "__global__" || at(j) == "static" || at(j) == "inline" || at(j) == "__forceinline__")
            global |= at(j++) == "__global__";
        if (!global || at(j) != "void") continue;
        j++;
        if (at(j) == "__launch_bounds__" && at(j + 1) == "(")
        {
            int depth = 0;
            for (j++; j < t.size(); j++)
            {
                if (t[j] == "(") depth++;
                if (t[j] == ")" && --depth == 0) break;
            }
            j++;
        }
        if (identifier_start(at(j).empty() ? ' ' : at(j)[0]) && at(j + 1) == "(") names.push_back(at(j));
    }
    return names;
}
} // namespace rasemu
