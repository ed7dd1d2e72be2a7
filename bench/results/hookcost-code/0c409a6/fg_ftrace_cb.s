0000000000000850 <fg_ftrace_cb>:
 850:	endbr64
 854:	push   %rbx
 855:	mov    %rcx,%rbx
 858:	sub    $0x28,%rsp
 85c:	mov    %gs:0x0(%rip),%rsi        # 864 <fg_ftrace_cb+0x14>
			860: R_X86_64_PC32	const_pcpu_hot-0x4
 864:	mov    %gs:0x28,%rax
 86d:	mov    %rax,0x20(%rsp)
 872:	mov    0x0(%rip),%eax        # 878 <fg_ftrace_cb+0x28>
			874: R_X86_64_PC32	fg_ngoverning-0x4
 878:	test   %eax,%eax
 87a:	jne    8aa <fg_ftrace_cb+0x5a>
 87c:	mov    0xca0(%rsi),%rax
 883:	cmp    %rax,0xca8(%rsi)
 88a:	je     8aa <fg_ftrace_cb+0x5a>
 88c:	mov    0x20(%rsp),%rax
 891:	sub    %gs:0x28,%rax
 89a:	jne    9e0 <fg_ftrace_cb+0x190>
 8a0:	add    $0x28,%rsp
 8a4:	pop    %rbx
 8a5:	jmp    8aa <fg_ftrace_cb+0x5a>
			8a6: R_X86_64_PLT32	__x86_return_thunk-0x4
 8aa:	incl   %gs:0x0(%rip)        # 8b1 <fg_ftrace_cb+0x61>
			8ad: R_X86_64_PC32	pcpu_hot+0x4
 8b1:	incq   %gs:0x0(%rip)        # 8b9 <fg_ftrace_cb+0x69>
			8b5: R_X86_64_PC32	fg_stats-0x4
 8b9:	testb  $0x20,0x2e(%rsi)
 8bd:	jne    8ca <fg_ftrace_cb+0x7a>
 8bf:	mov    0x70(%rbx),%r8
 8c3:	cmpq   $0x0,0x60(%r8)
 8c8:	je     8da <fg_ftrace_cb+0x8a>
 8ca:	decl   %gs:0x0(%rip)        # 8d1 <fg_ftrace_cb+0x81>
			8cd: R_X86_64_PC32	pcpu_hot+0x4
 8d1:	jne    88c <fg_ftrace_cb+0x3c>
 8d3:	call   8d8 <fg_ftrace_cb+0x88>
			8d4: R_X86_64_PLT32	__SCT__preempt_schedule_notrace-0x4
 8d8:	jmp    88c <fg_ftrace_cb+0x3c>
 8da:	mov    (%r8),%rax
 8dd:	mov    0x0(%rip),%edx        # 8e3 <fg_ftrace_cb+0x93>
			8df: R_X86_64_PC32	.bss-0x4
 8e3:	movq   $0x0,(%rsp)
 8eb:	mov    %rax,%r9
 8ee:	and    $0x10000,%r9d
 8f5:	test   %edx,%edx
 8f7:	jne    968 <fg_ftrace_cb+0x118>
 8f9:	bt     $0x21,%rax
 8fe:	jb     968 <fg_ftrace_cb+0x118>
 900:	test   %r9,%r9
 903:	jne    9cd <fg_ftrace_cb+0x17d>
 909:	mov    0xe00(%rsi),%rax
 910:	mov    0x0(%rip),%rdx        # 917 <fg_ftrace_cb+0xc7>
			913: R_X86_64_PC32	fg_levels-0x4
 917:	mov    0x80(%rax),%rdi
 91e:	mov    $0x3f,%eax
 923:	mov    0xd8(%rdi),%ecx
 929:	cmp    %eax,%ecx
 92b:	cmovg  %eax,%ecx
 92e:	mov    $0x2,%eax
 933:	shl    %cl,%rax
 936:	sub    $0x1,%rax
 93a:	and    %rdx,%rax
 93d:	jne    954 <fg_ftrace_cb+0x104>
 93f:	jmp    978 <fg_ftrace_cb+0x128>
 941:	cmp    0x8e8(%rdi,%rdx,8),%rcx
 949:	je     968 <fg_ftrace_cb+0x118>
 94b:	lea    -0x1(%rax),%rdx
 94f:	and    %rdx,%rax
 952:	je     978 <fg_ftrace_cb+0x128>
 954:	tzcnt  %rax,%rdx
 959:	mov    %edx,%edx
 95b:	mov    0x0(,%rdx,8),%rcx
			95f: R_X86_64_32S	fg_levels+0x8
 963:	test   %rcx,%rcx
 966:	jne    941 <fg_ftrace_cb+0xf1>
 968:	mov    %rbx,%rsi
 96b:	mov    %r8,%rdi
 96e:	call   560 <fg_decide>
 973:	jmp    8ca <fg_ftrace_cb+0x7a>
 978:	movq   $0x0,0x8(%rsp)
 981:	mov    0xca0(%rsi),%rax
 988:	cmp    %rax,0xca8(%rsi)
 98f:	jne    8ca <fg_ftrace_cb+0x7a>
 995:	xor    %esi,%esi
 997:	test   %r9,%r9
 99a:	lea    0x8(%rsp),%r8
 99f:	mov    %rsp,%rcx
 9a2:	setne  %sil
 9a6:	xor    %edx,%edx
 9a8:	call   9ad <fg_ftrace_cb+0x15d>
			9a9: R_X86_64_PLT32	__fg_lineage_charge-0x4
 9ad:	mov    %eax,%edi
 9af:	test   %eax,%eax
 9b1:	je     8ca <fg_ftrace_cb+0x7a>
 9b7:	mov    (%rsp),%rdx
 9bb:	mov    %rbx,%rcx
 9be:	lea    0x8(%rsp),%rsi
 9c3:	call   30 <fg_act>
 9c8:	jmp    8ca <fg_ftrace_cb+0x7a>
 9cd:	mov    0x0(%rip),%eax        # 9d3 <fg_ftrace_cb+0x183>
			9cf: R_X86_64_PC32	fg_ntasks-0x4
 9d3:	test   %eax,%eax
 9d5:	jg     909 <fg_ftrace_cb+0xb9>
 9db:	jmp    8ca <fg_ftrace_cb+0x7a>
 9e0:	call   9e5 <fg_ftrace_cb+0x195>
			9e1: R_X86_64_PLT32	__stack_chk_fail-0x4
 9e5:	data16 cs nopw 0x0(%rax,%rax,1)
 9f0:	nop
 9f1:	nop
 9f2:	nop
 9f3:	nop
 9f4:	nop
 9f5:	nop
 9f6:	nop
 9f7:	nop
 9f8:	nop
 9f9:	nop
 9fa:	nop
 9fb:	nop
 9fc:	nop
 9fd:	nop
 9fe:	nop
 9ff:	nop

