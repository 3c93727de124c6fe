"""`tagsim completion bash|zsh|fish`: a shell completion script for commands, platform ids and option values.

The script is generated from the same registries the CLI uses (`COMMANDS`, the bundled profiles,
`Format`, the installer families), so it never lists a command or a profile that does not exist.
Install it with, for example, `tagsim completion bash > ~/.local/share/bash-completion/completions/tagsim`.
"""

from __future__ import annotations

import argparse

from ..text_enum import TextEnum


class Shell(TextEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


#: Commands whose first argument is a PLATFORM.
PLATFORM_FIRST = ("explain", "tags", "verify")
#: Options that take a PLATFORM (check, history, stream).
PLATFORM_OPTIONS = ("--platform", "--require")


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=[s.value for s in Shell], help="the shell to complete in")


def _words() -> dict[str, list[str]]:
    from ..choice.registry import FAMILIES
    from ..platform.profile_file import bundled_profiles
    from ..render.formats import Format
    from . import COMMANDS

    return {"commands": list(COMMANDS), "platforms": [*bundled_profiles(), "here"],
            "formats": [f.value for f in Format], "installers": [f.name.value for f in FAMILIES.values()]}


def script(shell: Shell) -> str:
    w = {key: " ".join(values) for key, values in _words().items()}
    if shell is Shell.FISH:
        lines = [f"complete -c tagsim -f -n __fish_use_subcommand -a '{w['commands']}'",
                 *(f"complete -c tagsim -n '__fish_seen_subcommand_from {c}; and test (count (commandline -opc)) -eq 2' "
                   f"-f -a '{w['platforms']}'" for c in PLATFORM_FIRST),
                 *(f"complete -c tagsim -l {o[2:]} -x -a '{w['platforms']}'" for o in PLATFORM_OPTIONS),
                 f"complete -c tagsim -l format -x -a '{w['formats']}'",
                 f"complete -c tagsim -l installer -x -a '{w['installers']}'"]
        return "\n".join(lines)
    bash = f"""_tagsim() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local platforms="{w['platforms']}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{w['commands']} --help --version" -- "$cur")); return
    fi
    case "$prev" in
        {'|'.join(PLATFORM_OPTIONS)}) COMPREPLY=($(compgen -W "$platforms" -- "$cur")); return;;
        --format) COMPREPLY=($(compgen -W "{w['formats']}" -- "$cur")); return;;
        --installer) COMPREPLY=($(compgen -W "{w['installers']}" -- "$cur")); return;;
    esac
    case "${{COMP_WORDS[1]}}" in
        {'|'.join(PLATFORM_FIRST)}) if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W "$platforms" -- "$cur")); return; fi;;
        completion) COMPREPLY=($(compgen -W "{' '.join(s.value for s in Shell)}" -- "$cur")); return;;
    esac
    COMPREPLY=($(compgen -f -- "$cur"))
}}
complete -o filenames -F _tagsim tagsim"""
    return ("autoload -U +X bashcompinit && bashcompinit\n" + bash) if shell is Shell.ZSH else bash


def run(args: argparse.Namespace) -> int:
    print(script(Shell(args.shell)))
    return 0
