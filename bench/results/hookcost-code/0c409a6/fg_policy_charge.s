00000000000013a0 <fg_policy_charge>:
    13a0:	endbr64
    13a4:	push   %rbp
    13a5:	mov    %rsp,%rbp
    13a8:	push   %r15
    13aa:	push   %r14
    13ac:	push   %r13
    13ae:	push   %r12
    13b0:	push   %rbx
    13b1:	and    $0xfffffffffffffff0,%rsp
    13b5:	sub    $0x160,%rsp
    13bc:	mov    %rdx,0x40(%rsp)
    13c1:	mov    0x100(%rdi),%rdx
    13c8:	mov    %sil,0x37(%rsp)
    13cd:	mov    %gs:0x28,%rax
    13d6:	mov    %rax,0x158(%rsp)
    13de:	xor    %eax,%eax
    13e0:	mov    0x60(%rdx),%rax
    13e4:	mov    0x0(%rip),%r9        # 13eb <fg_policy_charge+0x4b>
			13e7: R_X86_64_PC32	fg_levels-0x4
    13eb:	mov    %rax,0x28(%rsp)
    13f0:	mov    %gs:0x0(%rip),%rax        # 13f8 <fg_policy_charge+0x58>
			13f4: R_X86_64_PC32	this_cpu_off-0x4
    13f8:	movq   $0x0,(%rcx)
    13ff:	mov    0xd8(%rdi),%r13d
    1406:	test   %r13d,%r13d
    1409:	js     1845 <fg_policy_charge+0x4a5>
    140f:	mov    %rcx,%r8
    1412:	lea    0x0(%rax),%r14
			1415: R_X86_64_32S	fg_stats
    1419:	cmp    $0x3e,%r13d
    141d:	jg     1737 <fg_policy_charge+0x397>
    1423:	mov    $0x2,%edx
    1428:	mov    %r13d,%ecx
    142b:	shl    %cl,%rdx
    142e:	sub    $0x1,%rdx
    1432:	and    %r9,%rdx
    1435:	je     1845 <fg_policy_charge+0x4a5>
    143b:	bsr    %rdx,%rdx
    143f:	mov    %edx,%r13d
    1442:	test   %edx,%edx
    1444:	js     1845 <fg_policy_charge+0x4a5>
    144a:	movl   $0x0,0x1c(%rsp)
    1452:	mov    %r13d,%ebx
    1455:	mov    %rdi,%r13
    1458:	movl   $0x0,0x30(%rsp)
    1460:	movb   $0x0,0x1b(%rsp)
    1465:	mov    %r9,0x48(%rsp)
    146a:	mov    %r14,0x10(%rsp)
    146f:	mov    %r8,0x20(%rsp)
    1474:	movslq %ebx,%rax
    1477:	mov    0x8e8(%r13,%rax,8),%rcx
    147f:	cmp    $0x3e,%ebx
    1482:	jg     149c <fg_policy_charge+0xfc>
    1484:	add    $0x40,%rax
    1488:	mov    0x0(,%rax,8),%r12
			148c: R_X86_64_32S	fg_levels+0x8
    1490:	test   %r12,%r12
    1493:	je     149c <fg_policy_charge+0xfc>
    1495:	cmp    %rcx,0x40(%r12)
    149a:	je     14df <fg_policy_charge+0x13f>
    149c:	mov    0x100(%rcx),%rax
    14a3:	movabs $0x61c8864680b583eb,%rdx
    14ad:	mov    0x60(%rax),%rax
    14b1:	imul   %rax,%rdx
    14b5:	shr    $0x34,%rdx
    14b9:	mov    0x0(,%rdx,8),%r12
			14bd: R_X86_64_32S	.bss+0x8740
    14c1:	test   %r12,%r12
    14c4:	jne    14d8 <fg_policy_charge+0x138>
    14c6:	jmp    17e9 <fg_policy_charge+0x449>
    14cb:	mov    (%r12),%r12
    14cf:	test   %r12,%r12
    14d2:	je     17e9 <fg_policy_charge+0x449>
    14d8:	cmp    0x48(%r12),%rax
    14dd:	jne    14cb <fg_policy_charge+0x12b>
    14df:	movzbl 0x59(%r12),%eax
    14e5:	test   %al,%al
    14e7:	je     17e9 <fg_policy_charge+0x449>
    14ed:	cmpb   $0x0,0x37(%rsp)
    14f2:	je     1502 <fg_policy_charge+0x162>
    14f4:	movzbl 0x5a(%r12),%eax
    14fa:	test   %al,%al
    14fc:	je     17e9 <fg_policy_charge+0x449>
    1502:	xor    %r14d,%r14d
    1505:	cmp    %ebx,0xd8(%r13)
    150c:	jle    151b <fg_policy_charge+0x17b>
    150e:	lea    0x1(%rbx),%eax
    1511:	cltq
    1513:	mov    0x8e8(%r13,%rax,8),%r14
    151b:	mov    0x40(%rsp),%rax
    1520:	mov    (%rax),%rsi
    1523:	test   %rsi,%rsi
    1526:	je     18a4 <fg_policy_charge+0x504>
    152c:	movzbl 0x59(%r12),%r15d
    1532:	test   %r15b,%r15b
    1535:	je     17e9 <fg_policy_charge+0x449>
    153b:	cmpb   $0x0,0x58(%r12)
    1541:	je     1897 <fg_policy_charge+0x4f7>
    1547:	test   %r14,%r14
    154a:	je     17e9 <fg_policy_charge+0x449>
    1550:	mov    0x100(%r14),%rax
    1557:	mov    0x60(%rax),%rcx
    155b:	movabs $0x61c8864680b583eb,%rax
    1565:	imul   %rcx,%rax
    1569:	shr    $0x34,%rax
    156d:	mov    0x0(,%rax,8),%rax
			1571: R_X86_64_32S	.bss+0x740
    1575:	test   %rax,%rax
    1578:	jne    158b <fg_policy_charge+0x1eb>
    157a:	jmp    191c <fg_policy_charge+0x57c>
    157f:	mov    (%rax),%rax
    1582:	test   %rax,%rax
    1585:	je     191c <fg_policy_charge+0x57c>
    158b:	cmp    0x40(%rax),%rcx
    158f:	jne    157f <fg_policy_charge+0x1df>
    1591:	cmp    %r12,0x30(%rax)
    1595:	jne    157f <fg_policy_charge+0x1df>
    1597:	lea    0x50(%rax),%r14
    159b:	mov    %rsi,0x38(%rsp)
    15a0:	test   %r14,%r14
    15a3:	je     17e9 <fg_policy_charge+0x449>
    15a9:	mov    %r14,%rdi
    15ac:	addl   $0x1,0x1c(%rsp)
    15b1:	call   15b6 <fg_policy_charge+0x216>
			15b2: R_X86_64_PLT32	_raw_spin_lock-0x4
    15b6:	mov    0x38(%rsp),%rsi
    15bb:	mov    %rsi,%rcx
    15be:	sub    0x40(%r14),%rcx
    15c2:	cmp    $0x5f5e0ff,%rcx
    15c9:	ja     1983 <fg_policy_charge+0x5e3>
    15cf:	cmpq   $0x0,0x38(%r14)
    15d4:	je     1983 <fg_policy_charge+0x5e3>
    15da:	mov    0x48(%r14),%ecx
    15de:	addl   $0x1,0x4c(%r14,%rcx,4)
    15e4:	mov    0x74(%r14),%eax
    15e8:	lea    0x1(%rax),%ecx
    15eb:	mov    %ecx,0x74(%r14)
    15ef:	cmp    %ecx,0x78(%r14)
    15f3:	jae    15f9 <fg_policy_charge+0x259>
    15f5:	mov    %ecx,0x78(%r14)
    15f9:	mov    0x8(%r14),%rcx
    15fd:	mov    0x1c(%r14),%r8d
    1601:	mov    0x30(%r14),%rdi
    1605:	test   %rcx,%rcx
    1608:	je     18b9 <fg_policy_charge+0x519>
    160e:	sub    $0x1,%r8d
    1612:	imul   %rcx,%r8
    1616:	cmp    %rsi,%rdi
    1619:	cmovb  %rsi,%rdi
    161d:	mov    %rdi,%r11
    1620:	sub    %rsi,%r11
    1623:	cmp    %r11,%r8
    1626:	jae    1962 <fg_policy_charge+0x5c2>
    162c:	movzbl 0x28(%r14),%esi
    1631:	lea    0x68(%r12),%rax
    1636:	lea    0x88(%r12),%r10
    163e:	mov    %rax,0x38(%rsp)
    1643:	cmp    $0x1,%sil
    1647:	je     199b <fg_policy_charge+0x5fb>
    164d:	cmp    $0x2,%sil
    1651:	je     1761 <fg_policy_charge+0x3c1>
    1657:	mov    %r12,%rbx
    165a:	mov    %r14,%r12
    165d:	mov    0x20(%rsp),%r8
    1662:	mov    0x28(%rsp),%rsi
    1667:	mov    %r12,%rdi
    166a:	mov    %rcx,0x48(%rsp)
    166f:	mov    0x10(%rsp),%r14
    1674:	mov    %r10,%r15
    1677:	addq   $0x1,0x88(%r12)
    1680:	mov    %r8,0x40(%rsp)
    1685:	call   50 <fg_note_offender>
    168a:	mov    0x48(%rsp),%rcx
    168f:	mov    $0x3b9aca00,%eax
    1694:	xor    %edx,%edx
    1696:	mov    0x40(%rsp),%r8
    169b:	div    %rcx
    169e:	lea    (%rax,%rax,1),%rcx
    16a2:	xor    %eax,%eax
    16a4:	cmpb   $0x1,0x28(%r12)
    16aa:	jne    16b8 <fg_policy_charge+0x318>
    16ac:	mov    0x20(%r12),%eax
    16b1:	imul   $0xf4240,%rax,%rax
    16b8:	mov    %rax,(%r8)
    16bb:	mov    0x24(%r12),%eax
    16c0:	imul   $0xf4240,%rax,%rax
    16c7:	mov    %rax,0x10(%r8)
    16cb:	mov    0x8(%r12),%rdx
    16d0:	mov    %rdx,0x8(%r8)
    16d4:	mov    0x1c(%r12),%esi
    16d9:	mov    0x74(%r12),%edx
    16de:	lea    0xa(%rcx,%rsi,1),%rcx
    16e3:	cmp    %rdx,%rcx
    16e6:	jae    16ec <fg_policy_charge+0x34c>
    16e8:	mov    %rax,0x8(%r8)
    16ec:	mov    %r12,%rdi
    16ef:	call   16f4 <fg_policy_charge+0x354>
			16f0: R_X86_64_PLT32	_raw_spin_unlock-0x4
    16f4:	mov    0x30(%rsp),%esi
    16f8:	lea    0x50(%rsp),%rdi
    16fd:	call   a0 <fg_chain_refund>
    1702:	addq   $0x1,0x8(%r14)
    1707:	addq   $0x1,0x18(%r14)
    170c:	cmp    %r15,%r12
    170f:	je     1a59 <fg_policy_charge+0x6b9>
    1715:	mov    -0x10(%r12),%rdx
    171a:	mov    0x38(%rsp),%r8
    171f:	mov    0x28(%rsp),%rsi
    1724:	xor    %ecx,%ecx
    1726:	xor    %edi,%edi
    1728:	call   172d <fg_policy_charge+0x38d>
			1729: R_X86_64_PLT32	fg_report_event-0x4
    172d:	mov    $0x1,%eax
    1732:	jmp    1847 <fg_policy_charge+0x4a7>
    1737:	test   %r9,%r9
    173a:	js     144a <fg_policy_charge+0xaa>
    1740:	movabs $0x7fffffffffffffff,%rdx
    174a:	jmp    1432 <fg_policy_charge+0x92>
    174f:	lea    0x68(%r12),%rax
    1754:	lea    0x88(%r12),%r10
    175c:	mov    %rax,0x38(%rsp)
    1761:	addq   $0x1,0xa8(%r14)
    1769:	mov    0x28(%rsp),%rsi
    176e:	mov    %r14,%rdi
    1771:	mov    %r10,0x8(%rsp)
    1776:	call   50 <fg_note_offender>
    177b:	mov    %r14,%rdi
    177e:	call   1783 <fg_policy_charge+0x3e3>
			177f: R_X86_64_PLT32	_raw_spin_unlock-0x4
    1783:	mov    0x8(%rsp),%r10
    1788:	cmp    %r10,%r14
    178b:	je     1a32 <fg_policy_charge+0x692>
    1791:	mov    -0x10(%r14),%rdx
    1795:	mov    0x38(%rsp),%r8
    179a:	mov    0x28(%rsp),%rsi
    179f:	xor    %ecx,%ecx
    17a1:	mov    $0x2,%edi
    17a6:	call   17ab <fg_policy_charge+0x40b>
			17a7: R_X86_64_PLT32	fg_report_event-0x4
    17ab:	mov    $0x2,%ecx
    17b0:	mov    %r15b,0x1b(%rsp)
    17b5:	xor    %r15d,%r15d
    17b8:	mov    0x30(%rsp),%eax
    17bc:	cmp    $0xf,%eax
    17bf:	ja     17d7 <fg_policy_charge+0x437>
    17c1:	mov    %eax,%edx
    17c3:	add    $0x1,%eax
    17c6:	shl    $0x4,%rdx
    17ca:	mov    %eax,0x30(%rsp)
    17ce:	mov    %r14,0x50(%rsp,%rdx,1)
    17d3:	mov    %ecx,0x58(%rsp,%rdx,1)
    17d7:	mov    0x20(%rsp),%rdi
    17dc:	mov    (%rdi),%rax
    17df:	cmp    %r15,%rax
    17e2:	cmovb  %r15,%rax
    17e6:	mov    %rax,(%rdi)
    17e9:	sub    $0x1,%ebx
    17ec:	jb     1816 <fg_policy_charge+0x476>
    17ee:	cmp    $0x3e,%ebx
    17f1:	jg     1871 <fg_policy_charge+0x4d1>
    17f3:	mov    $0x2,%eax
    17f8:	mov    %ebx,%ecx
    17fa:	shl    %cl,%rax
    17fd:	sub    $0x1,%rax
    1801:	and    0x48(%rsp),%rax
    1806:	je     1816 <fg_policy_charge+0x476>
    1808:	bsr    %rax,%rax
    180c:	mov    %eax,%ebx
    180e:	test   %eax,%eax
    1810:	jns    1474 <fg_policy_charge+0xd4>
    1816:	mov    0x1c(%rsp),%eax
    181a:	mov    0x10(%rsp),%r14
    181f:	mov    0x20(%rsp),%r8
    1824:	test   %eax,%eax
    1826:	je     1845 <fg_policy_charge+0x4a5>
    1828:	addq   $0x1,0x8(%r14)
    182d:	movzbl 0x1b(%rsp),%eax
    1832:	add    %rax,0x30(%r14)
    1836:	cmpq   $0x0,(%r8)
    183a:	jne    1a43 <fg_policy_charge+0x6a3>
    1840:	addq   $0x1,0x10(%r14)
    1845:	xor    %eax,%eax
    1847:	mov    0x158(%rsp),%rdx
    184f:	sub    %gs:0x28,%rdx
    1858:	jne    1a62 <fg_policy_charge+0x6c2>
    185e:	lea    -0x28(%rbp),%rsp
    1862:	pop    %rbx
    1863:	pop    %r12
    1865:	pop    %r13
    1867:	pop    %r14
    1869:	pop    %r15
    186b:	pop    %rbp
    186c:	jmp    1871 <fg_policy_charge+0x4d1>
			186d: R_X86_64_PLT32	__x86_return_thunk-0x4
    1871:	movabs $0x7fffffffffffffff,%rax
    187b:	cmpq   $0x0,0x48(%rsp)
    1881:	jns    1801 <fg_policy_charge+0x461>
    1887:	movslq %ebx,%rax
    188a:	mov    0x8e8(%r13,%rax,8),%rcx
    1892:	jmp    149c <fg_policy_charge+0xfc>
    1897:	lea    0x88(%r12),%r14
    189f:	jmp    159b <fg_policy_charge+0x1fb>
    18a4:	call   18a9 <fg_policy_charge+0x509>
			18a5: R_X86_64_PLT32	ktime_get-0x4
    18a9:	mov    %rax,%rsi
    18ac:	mov    0x40(%rsp),%rax
    18b1:	mov    %rsi,(%rax)
    18b4:	jmp    152c <fg_policy_charge+0x18c>
    18b9:	cmp    %r8,%rdi
    18bc:	jb     1a29 <fg_policy_charge+0x689>
    18c2:	cmpb   $0x2,0x28(%r14)
    18c7:	je     174f <fg_policy_charge+0x3af>
    18cd:	mov    %r12,%rbx
    18d0:	mov    %r14,%r12
    18d3:	mov    0x20(%rsp),%r8
    18d8:	mov    0x28(%rsp),%rsi
    18dd:	mov    %r12,%rdi
    18e0:	mov    %rcx,0x40(%rsp)
    18e5:	mov    0x10(%rsp),%r14
    18ea:	lea    0x88(%rbx),%r15
    18f1:	addq   $0x1,0x88(%r12)
    18fa:	mov    %r8,0x48(%rsp)
    18ff:	call   50 <fg_note_offender>
    1904:	lea    0x68(%rbx),%rax
    1908:	mov    0x48(%rsp),%r8
    190d:	mov    0x40(%rsp),%rcx
    1912:	mov    %rax,0x38(%rsp)
    1917:	jmp    16a2 <fg_policy_charge+0x302>
    191c:	mov    0x0(%rip),%ecx        # 1922 <fg_policy_charge+0x582>
			191e: R_X86_64_PC32	.bss+0x734
    1922:	mov    0x0(%rip),%eax        # 1928 <fg_policy_charge+0x588>
			1924: R_X86_64_PC32	fg_max_buckets-0x4
    1928:	cmp    %eax,%ecx
    192a:	jge    1897 <fg_policy_charge+0x4f7>
    1930:	mov    0x60(%r12),%rax
    1935:	cmp    %rax,%rsi
    1938:	jb     1897 <fg_policy_charge+0x4f7>
    193e:	mov    0x54(%r14),%eax
    1942:	test   $0x2,%al
    1944:	je     1897 <fg_policy_charge+0x4f7>
    194a:	mov    0x30(%rsp),%esi
    194e:	lea    0x50(%rsp),%rdi
    1953:	call   a0 <fg_chain_refund>
    1958:	mov    $0x3,%eax
    195d:	jmp    1847 <fg_policy_charge+0x4a7>
    1962:	add    %rcx,%rdi
    1965:	addq   $0x1,0x80(%r14)
    196d:	xor    %r15d,%r15d
    1970:	mov    %rdi,0x30(%r14)
    1974:	mov    %r14,%rdi
    1977:	call   197c <fg_policy_charge+0x5dc>
			1978: R_X86_64_PLT32	_raw_spin_unlock-0x4
    197c:	xor    %ecx,%ecx
    197e:	jmp    17b8 <fg_policy_charge+0x418>
    1983:	lea    0x38(%r14),%rdi
    1987:	mov    %rsi,0x38(%rsp)
    198c:	call   1991 <fg_policy_charge+0x5f1>
			198d: R_X86_64_PLT32	__fg_window_add-0x4
    1991:	mov    0x38(%rsp),%rsi
    1996:	jmp    15f9 <fg_policy_charge+0x259>
    199b:	mov    0x20(%r14),%esi
    199f:	sub    %r8,%r11
    19a2:	mov    %r11,%r15
    19a5:	imul   $0xf4240,%rsi,%rsi
    19ac:	cmp    %r11,%rsi
    19af:	jb     1657 <fg_policy_charge+0x2b7>
    19b5:	add    %rcx,%rdi
    19b8:	mov    0x28(%rsp),%rsi
    19bd:	mov    %r10,0x8(%rsp)
    19c2:	mov    0xa0(%r14),%rcx
    19c9:	add    %r11,0x98(%r14)
    19d0:	addq   $0x1,0x90(%r14)
    19d8:	cmp    %r11,%rcx
    19db:	mov    %rdi,0x30(%r14)
    19df:	mov    %r14,%rdi
    19e2:	cmovb  %r11,%rcx
    19e6:	mov    %rcx,0xa0(%r14)
    19ed:	call   50 <fg_note_offender>
    19f2:	mov    %r14,%rdi
    19f5:	call   19fa <fg_policy_charge+0x65a>
			19f6: R_X86_64_PLT32	_raw_spin_unlock-0x4
    19fa:	mov    0x8(%rsp),%r10
    19ff:	cmp    %r10,%r14
    1a02:	je     1a3c <fg_policy_charge+0x69c>
    1a04:	mov    -0x10(%r14),%rdx
    1a08:	mov    0x38(%rsp),%r8
    1a0d:	mov    0x28(%rsp),%rsi
    1a12:	mov    %r15,%rcx
    1a15:	mov    $0x1,%edi
    1a1a:	call   1a1f <fg_policy_charge+0x67f>
			1a1b: R_X86_64_PLT32	fg_report_event-0x4
    1a1f:	mov    $0x1,%ecx
    1a24:	jmp    17b8 <fg_policy_charge+0x418>
    1a29:	add    $0x1,%rdi
    1a2d:	jmp    1965 <fg_policy_charge+0x5c5>
    1a32:	mov    0x48(%r12),%rdx
    1a37:	jmp    1795 <fg_policy_charge+0x3f5>
    1a3c:	mov    0x48(%r12),%rdx
    1a41:	jmp    1a08 <fg_policy_charge+0x668>
    1a43:	addq   $0x1,0x20(%r14)
    1a48:	mov    (%r8),%rax
    1a4b:	add    %rax,0x28(%r14)
    1a4f:	mov    $0x2,%eax
    1a54:	jmp    1847 <fg_policy_charge+0x4a7>
    1a59:	mov    0x48(%rbx),%rdx
    1a5d:	jmp    171a <fg_policy_charge+0x37a>
    1a62:	call   1a67 <fg_policy_charge+0x6c7>
			1a63: R_X86_64_PLT32	__stack_chk_fail-0x4
    1a67:	nopw   0x0(%rax,%rax,1)
    1a70:	nop
    1a71:	nop
    1a72:	nop
    1a73:	nop
    1a74:	nop
    1a75:	nop
    1a76:	nop
    1a77:	nop
    1a78:	nop
    1a79:	nop
    1a7a:	nop
    1a7b:	nop
    1a7c:	nop
    1a7d:	nop
    1a7e:	nop
    1a7f:	nop

