package localfile

import (
	"os"
	"syscall"
)

// pseudoFileSystems are the Linux file systems whose "regular" files are
// views of the kernel's state (the environment and memory of processes,
// devices, control files), by their statfs magic numbers.
var pseudoFileSystems = map[uint32]string{
	0x9fa0:     "proc",
	0x62656572: "sysfs",
	0x64626720: "debugfs",
	0x74726163: "tracefs",
	0x73636673: "securityfs",
	0x27e0eb:   "cgroup",
	0x63677270: "cgroup2",
	0x62656570: "configfs",
	0xcafe4a11: "bpf",
	0x6165676c: "pstore",
	0xde5e81e4: "efivarfs",
	0xf97cff8c: "selinuxfs",
	0x6e736673: "nsfs",
	0x42494e4d: "binfmt_misc",
	0x65735543: "fusectl",
}

// checkFileSystem refuses an open file that lives on a pseudo-filesystem,
// wherever it is mounted.
func checkFileSystem(path string, f *os.File) error {
	var st syscall.Statfs_t
	rc, err := f.SyscallConn()
	if err == nil {
		cerr := rc.Control(func(fd uintptr) { err = syscall.Fstatfs(int(fd), &st) })
		if cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		return nil // the file system cannot say: the checks before hold
	}
	if name, ok := pseudoFileSystems[uint32(st.Type)]; ok {
		return &NotRegularError{Path: path, What: "a file of the " + name + " pseudo-filesystem"}
	}
	return nil
}
