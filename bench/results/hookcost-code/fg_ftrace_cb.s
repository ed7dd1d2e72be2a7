0000000000000880 <fg_ftrace_cb>:
 880:	endbr64
 884:	push   %r12
 886:	mov    %gs:0x0(%rip),%rsi        # 88e <fg_ftrace_cb+0xe>
 88e:	push   %rbp
 88f:	push   %rbx
 890:	mov    0x0(%rip),%eax        # 896 <fg_ftrace_cb+0x16>
 896:	mov    %rcx,%rbx
 899:	test   %eax,%eax
 89b:	jne    8b7 <fg_ftrace_cb+0x37>
 89d:	mov    0xca0(%rsi),%rax
 8a4:	cmp    %rax,0xca8(%rsi)
 8ab:	je     8b7 <fg_ftrace_cb+0x37>
 8ad:	mov    0x0(%rip),%eax        # 8b3 <fg_ftrace_cb+0x33>
 8b3:	test   %eax,%eax
 8b5:	je     8dd <fg_ftrace_cb+0x5d>
 8b7:	incl   %gs:0x0(%rip)        # 8be <fg_ftrace_cb+0x3e>
 8be:	incq   %gs:0x0(%rip)        # 8c6 <fg_ftrace_cb+0x46>
 8c6:	mov    0x70(%rbx),%rdi
 8ca:	testb  $0x20,0x2e(%rsi)
 8ce:	je     8e6 <fg_ftrace_cb+0x66>
 8d0:	decl   %gs:0x0(%rip)        # 8d7 <fg_ftrace_cb+0x57>
 8d7:	je     992 <fg_ftrace_cb+0x112>
 8dd:	pop    %rbx
 8de:	pop    %rbp
 8df:	pop    %r12
 8e1:	jmp    8e6 <fg_ftrace_cb+0x66>
 8e6:	cmpq   $0x0,0x60(%rdi)
 8eb:	jne    8d0 <fg_ftrace_cb+0x50>
 8ed:	mov    (%rdi),%rax
 8f0:	mov    0x0(%rip),%ecx        # 8f6 <fg_ftrace_cb+0x76>
 8f6:	mov    %rax,%rdx
 8f9:	and    $0x10000,%edx
 8ff:	test   %ecx,%ecx
 901:	jne    a22 <fg_ftrace_cb+0x1a2>
 907:	bt     $0x21,%rax
 90c:	jb     a22 <fg_ftrace_cb+0x1a2>
 912:	test   %rdx,%rdx
 915:	jne    a0f <fg_ftrace_cb+0x18f>
 91b:	mov    0xe00(%rsi),%rax
 922:	test   %rdx,%rdx
 925:	mov    0x0(%rip),%rdx        # 92c <fg_ftrace_cb+0xac>
 92c:	setne  %r9b
 930:	mov    0x80(%rax),%rdi
 937:	mov    $0x3f,%eax
 93c:	mov    0xd8(%rdi),%ecx
 942:	cmp    %eax,%ecx
 944:	cmovg  %eax,%ecx
 947:	mov    $0x2,%eax
 94c:	shl    %cl,%rax
 94f:	sub    $0x1,%rax
 953:	and    %rdx,%rax
 956:	jne    96d <fg_ftrace_cb+0xed>
 958:	jmp    99c <fg_ftrace_cb+0x11c>
 95a:	cmp    0x8e8(%rdi,%rdx,8),%rcx
 962:	je     981 <fg_ftrace_cb+0x101>
 964:	lea    -0x1(%rax),%rdx
 968:	and    %rdx,%rax
 96b:	je     99c <fg_ftrace_cb+0x11c>
 96d:	tzcnt  %rax,%rdx
 972:	mov    %edx,%edx
 974:	mov    0x0(,%rdx,8),%rcx
 97c:	test   %rcx,%rcx
 97f:	jne    95a <fg_ftrace_cb+0xda>
 981:	movzbl %r9b,%esi
 985:	mov    %rbx,%rdx
 988:	call   5f0 <fg_govern>
 98d:	jmp    8d0 <fg_ftrace_cb+0x50>
 992:	call   997 <fg_ftrace_cb+0x117>
 997:	jmp    8dd <fg_ftrace_cb+0x5d>
 99c:	mov    %gs:0x0(%rip),%rbp        # 9a4 <fg_ftrace_cb+0x124>
 9a4:	lea    0x0(%rbp),%rcx
 9ab:	movq   $0x0,0x0(%rbp)
 9b6:	movq   $0x0,0x8(%rcx)
 9be:	mov    0xca0(%rsi),%rax
 9c5:	cmp    %rax,0xca8(%rsi)
 9cc:	je     9dc <fg_ftrace_cb+0x15c>
 9ce:	mov    0x0(%rip),%eax        # 9d4 <fg_ftrace_cb+0x154>
 9d4:	test   %eax,%eax
 9d6:	je     8d0 <fg_ftrace_cb+0x50>
 9dc:	lea    0x8(%rcx),%r12
 9e0:	xor    %edx,%edx
 9e2:	movzbl %r9b,%esi
 9e6:	mov    %r12,%r8
 9e9:	call   9ee <fg_ftrace_cb+0x16e>
 9ee:	test   %eax,%eax
 9f0:	je     8d0 <fg_ftrace_cb+0x50>
 9f6:	mov    0x0(%rbp),%rdx
 9fd:	mov    %rbx,%rcx
 a00:	mov    %r12,%rsi
 a03:	mov    %eax,%edi
 a05:	call   30 <fg_act>
 a0a:	jmp    8d0 <fg_ftrace_cb+0x50>
 a0f:	mov    0x0(%rip),%eax        # a15 <fg_ftrace_cb+0x195>
 a15:	test   %eax,%eax
 a17:	jg     91b <fg_ftrace_cb+0x9b>
 a1d:	jmp    8d0 <fg_ftrace_cb+0x50>
 a22:	mov    %rbx,%rsi
 a25:	call   680 <fg_decide>
 a2a:	jmp    8d0 <fg_ftrace_cb+0x50>
 a2f:	nop
 a30:	nop
 a31:	nop
 a32:	nop
 a33:	nop
 a34:	nop
 a35:	nop
 a36:	nop
 a37:	nop
 a38:	nop
 a39:	nop
 a3a:	nop
 a3b:	nop
 a3c:	nop
 a3d:	nop
 a3e:	nop
 a3f:	nop

