from compatprobe.cli import program

program()
