#!/usr/bin/env python3
"""Instructions in the hot loop of a C2-compiled method, from -XX:+PrintAssembly output without hsdis.

Neither hardware counters (perf: "<not supported> instructions" under this KVM) nor a usable hsdis
(Debian's FCML plugin lacks the decode_instructions_virtual entry JDK 17+ looks for) are available,
so HotSpot prints compiled code as hex. This script takes the last C2 (non-OSR) compilation of the
method whose name contains NAME, disassembles its bytes with objdump, and walks its hot loop once
from the safepoint poll back to it: unconditional jumps are followed; a conditional jump is taken
when it goes backwards into the code before the first uncommon trap (a loop's back edge, a write
barrier's fast exit), otherwise it falls through (C2 lays out the likely path as fall-through and
moves unlikely paths and traps to the end). The count is a static estimate of the instructions one
operation executes; it is exact for straight-line code like ParseBench.linuxSyn's.

usage: hot_loop.py PRINT_ASSEMBLY_LOG NAME [--listing]
"""
import re
import subprocess
import sys
import tempfile


def machine_code(log_lines, name):
    starts = [i for i, l in enumerate(log_lines)
              if l.startswith('Compiled method (c2)') and name in l and ' % ' not in l]
    if not starts:
        sys.exit('no C2 compilation of %s in the log' % name)
    i = starts[-1]
    while not log_lines[i].startswith('[MachCode]'):
        i += 1
    base, data, notes = None, bytearray(), {}
    for line in log_lines[i + 1:]:
        if line.startswith('[/MachCode]') or line.startswith('[Stub Code]'):
            break
        m = re.match(r'\s+0x([0-9a-f]+): (.*)', line)
        if m:
            address, rest = int(m.group(1), 16), m.group(2)
            if rest.startswith(';'):
                notes.setdefault(address, []).append(rest)
                last_note = address
            else:
                if base is None:
                    base = address
                data += bytes.fromhex(rest.replace('|', '').replace(' ', ''))
        elif line.strip().startswith(';') and notes:
            notes[last_note].append(line.strip())
    return base, bytes(data), notes


def disassemble(base, data):
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(data)
        f.flush()
        out = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64', '-M', 'intel',
                              '--adjust-vma=0x%x' % base, f.name], capture_output=True, text=True, check=True).stdout
    instructions = []
    for line in out.split('\n'):
        m = re.match(r'\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)', line)
        if m:
            instructions.append((int(m.group(1), 16), m.group(2).strip()))
    return instructions


def hot_loop(instructions, notes):
    first_trap = min((a for a, n in notes.items() if any('UncommonTrapBlob' in x for x in n)), default=1 << 64)
    polls = [a for a, t in instructions if re.match(r'test\s+DWORD PTR \[r\d+\],e', t)]
    if not polls:
        sys.exit('no safepoint poll found')
    index = {a: k for k, (a, _) in enumerate(instructions)}
    start = polls[-1]
    k, path = index[start], []
    while True:
        address, text = instructions[k]
        path.append((address, text))
        if len(path) > 5000:
            sys.exit('the walk did not come back to the poll')
        m = re.match(r'(j[a-z]+)\s+0x([0-9a-f]+)', text)
        target = int(m.group(2), 16) if m else None
        if m and m.group(1) == 'jmp' and target in index:
            k = index[target]
        elif m and target < address and target < first_trap and target in index:
            k = index[target]
        else:
            k += 1
        if instructions[k][0] == start:
            return path


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    base, data, notes = machine_code(open(sys.argv[1]).read().split('\n'), sys.argv[2])
    path = hot_loop(disassemble(base, data), notes)
    if '--listing' in sys.argv:
        for address, text in path:
            print('%x  %s' % (address, text))
    stores = sum(1 for _, t in path if re.match(r'mov\s+(BYTE|WORD|DWORD|QWORD) PTR \[', t))
    loads = sum(1 for _, t in path if ' PTR [' in t and not re.match(r'(mov|lea)\s+(BYTE|WORD|DWORD|QWORD)? ?PTR \[', t)
                and not t.startswith('lea'))
    print('hot loop: %d instructions, %d loads, %d stores' % (len(path), loads, stores))


if __name__ == '__main__':
    main()
